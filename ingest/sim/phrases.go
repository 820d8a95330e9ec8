package sim

// Phrasing: what people write, per language. Templates carry slots that are filled at
// generation time, and complaint cores are combined with openers and closers, so the
// crowd says the same thing in thousands of slightly different ways.
//
// Slots: {S} the service as the author writes it, {B} and {C} second and third services,
// {D} the shared dependency, {E} an error message of {S}, {H} a hashtag of {S},
// {V} the vendor ("OpenAI"), {@} the vendor's account, {T} a topic, {N} a small number.

// numLangs is how many languages the simulator writes; langCodes lists them in the
// order phrase tables are indexed.
const numLangs = 7

func langCodes() [numLangs]string { return [numLangs]string{"en", "fr", "es", "de", "pt", "it", "ja"} }

// langIndex maps a language code to its table index (unknown codes map to English).
func langIndex(code string) int {
	switch code {
	case "fr":
		return 1
	case "es":
		return 2
	case "de":
		return 3
	case "pt":
		return 4
	case "it":
		return 5
	case "ja":
		return 6
	}
	return 0
}

// phraseData is the raw text, keyed by language code. newPhrasebook parses it.
type phraseData map[string][]string

func complaintCores() phraseData {
	return phraseData{
		"en": {
			"{S} is down", "{S} is down again??", "is {S} down?", "Is {S} down for anyone else?", "{S} down?",
			"{S} not working", "{S} isn't working for me", "{S} keeps saying \"{E}\"", "getting \"{E}\" on {S} every single time",
			"{S}: \"{E}\". cool cool cool", "can't log in to {S}", "{S} login is broken, stuck on a blank page",
			"{S} won't load", "{S} app just spins forever", "{S} API returning 500s for everything",
			"{S} API is timing out on every request", "{S} is completely dead rn", "{S} outage?", "massive {S} outage apparently",
			"{S} went down in the middle of my work", "{S} is so slow it's basically down", "{S} is at capacity again",
			"{S} down, there goes my productivity", "{S} is down and I have a deadline in {N} hours", "{S} is down so I guess I have to use my own brain today",
			"the one day I actually need {S} it's down", "{S} throwing 502 Bad Gateway", "{S} giving me 503s", "{S} not responding at all",
			"{S} just stopped answering mid-sentence", "{S} broke again", "why is {S} down", "{S} down again. third time this month",
			"{S} is having an outage, nothing loads", "{S} is unusable right now", "{H} anyone?", "{@} is {S} down? nothing works",
			"{@} fix {S} please, it's been down for ages", "me: opens {S}. {S}: \"{E}\"", "{S} can't even load my chat history",
			"{S} keeps logging me out", "{S} won't let me sign in", "{S} is down. I repeat. {S} is down.",
		},
		"fr": {
			"{S} est en panne", "{S} en panne ?", "{S} est encore en panne...", "{S} ne marche plus", "{S} ne fonctionne pas chez vous aussi ?",
			"{S} ne répond plus", "impossible de me connecter à {S}", "{S} est down", "{S} down, super", "{S} me met \"{E}\" depuis tout à l'heure",
			"{S} plante en plein milieu de mon taf", "panne de {S} ?", "{S} HS depuis {N}0 minutes", "c'est moi ou {S} est en rade ?",
			"{S} ne charge plus rien", "{S} est tombé", "grosse panne de {S} apparemment",
		},
		"es": {
			"se cayó {S}", "¿Se cayó {S}?", "{S} está caído", "{S} caído otra vez", "{S} no funciona", "{S} no me funciona, ¿a alguien más?",
			"no puedo entrar a {S}", "{S} no carga", "{S} me sale \"{E}\"", "{S} está fallando", "otra vez {S} sin servicio",
			"justo cuando necesito {S} se cae", "¿{S} está caído o soy yo?", "{S} lleva {N}0 minutos caído",
		},
		"de": {
			"{S} funktioniert nicht", "{S} funktioniert gerade nicht", "{S} ist down", "{S} down?", "ist {S} down?", "Störung bei {S}?",
			"{S} ausgefallen", "{S} geht gerade nicht", "{S} spinnt mal wieder", "komme nicht in {S} rein", "{S} zeigt nur \"{E}\"",
			"{S} schon wieder offline", "{S} lädt nicht", "Ist {S} bei euch auch down?",
		},
		"pt": {
			"o {S} caiu", "{S} caiu?", "{S} caiu de novo", "{S} fora do ar", "{S} tá fora do ar", "{S} não está funcionando",
			"{S} não funciona", "{S} parou de funcionar", "não consigo entrar no {S}", "{S} dando \"{E}\"", "mais alguém com o {S} fora?",
			"{S} caiu bem na hora que eu precisava",
		},
		"it": {
			"{S} non funziona", "{S} non funziona?", "{S} è down", "{S} down?", "{S} in down", "{S} è giù?", "{S} non va",
			"ma {S} è andato down?", "{S} non risponde", "non riesco ad accedere a {S}", "{S} mi dà \"{E}\"", "{S} di nuovo down",
		},
		"ja": {
			"{S}が落ちてる", "{S}落ちた？", "{S}落ちてる？", "{S}繋がらない", "{S}使えない", "{S}障害？", "{S}がエラーで使えない",
			"{S}死んでる", "{S}ログインできない", "{S}重すぎて使えない", "{S}また落ちてる", "{S}「{E}」って出る",
		},
	}
}

// Before the vendor acknowledges anything, people point at the green status page.
func preackCores() phraseData {
	return phraseData{
		"en": {"{S} status page says all systems operational. it is not operational", "{S} is clearly down but the status page is all green",
			"{@} your status page says everything is fine, {S} is down", "no word from {V} yet but {S} is definitely down"},
		"fr": {"la page de statut de {S} dit que tout va bien... {S} est en panne"},
		"es": {"la página de estado de {S} dice que todo bien, pero está caído"},
		"de": {"Statusseite sagt alles ok, aber {S} ist down"},
	}
}

// Load building up before a service fails: slowness, not yet an outage.
func slowCores() phraseData {
	return phraseData{
		"en": {"{S} is super slow right now", "{S} taking forever to respond", "{S} is crawling today", "why is {S} so slow rn"},
		"fr": {"{S} est hyper lent là"}, "es": {"{S} va lentísimo"}, "de": {"{S} ist gerade extrem langsam"},
		"pt": {"{S} tá muito lento"}, "it": {"{S} lentissimo oggi"}, "ja": {"{S}めっちゃ重い"},
	}
}

// Complaints outside outages: one person's trouble.
func personalCores() phraseData {
	return phraseData{
		"en": {"is {S} down or is it my wifi?", "{S} gave me \"{E}\" once, refreshed and it's fine", "{S} won't load on my phone but works on my laptop??",
			"{S} logged me out and now I can't log back in", "{S} keeps crashing on my old iPad", "anyone else getting \"{E}\" on {S} or just me",
			"{S} not working on the school wifi", "{S} just errored out on me, weird"},
		"fr": {"{S} ne marche pas chez moi, c'est ma box ?", "{S} m'a déconnecté et impossible de me reconnecter"},
		"es": {"¿{S} no funciona o es mi wifi?", "{S} no me deja iniciar sesión desde el móvil"},
		"de": {"{S} geht bei mir nicht, liegt das am WLAN?", "{S} hat mich ausgeloggt und ich komme nicht mehr rein"},
		"pt": {"{S} não funciona aqui, é minha internet?"},
		"it": {"{S} non mi funziona, sarà il wifi?"},
		"ja": {"{S}うちだけ繋がらない？"},
	}
}

func openers() phraseData {
	return phraseData{
		"en": {"", "", "", "", "", "ugh ", "bruh ", "great, ", "ok so ", "lol ", "welp ", "not again, ", "seriously, ", "umm "},
		"fr": {"", "", "", "bon ", "sérieux ", "ah bah ", "encore ", "alors "},
		"es": {"", "", "", "oigan ", "otra vez ", "jaja ", "bueno "},
		"de": {"", "", "", "ähm ", "na toll, ", "ernsthaft, "},
		"pt": {"", "", "", "gente ", "mano ", "socorro "},
		"it": {"", "", "", "ragazzi ", "ma dai, ", "raga "},
		"ja": {"", "", "", "え、", "まって、"},
	}
}

func closers() phraseData {
	return phraseData{
		"en": {"", "", "", "", " 😭", " 🙃", " 💀", " lol", " rn", " ffs", "??", "...", "!!", " anyone else?", " {H}", " {H}", " #outage", " 😤"},
		"fr": {"", "", "", " 😭", " ?!", "...", " {H}", " quelqu'un d'autre ?", " 🙄", " la galère"},
		"es": {"", "", "", " 😭", " jaja", "...", " {H}", " ¿a alguien más?", " 🙄"},
		"de": {"", "", "", " 🙄", "...", " {H}", " bei euch auch?", " 😤"},
		"pt": {"", "", "", " 😭", " kkkkk", "...", " {H}", " alguém mais?"},
		"it": {"", "", "", " 😩", "...", " {H}", " anche a voi?"},
		"ja": {"", "", "", "😭", "…", "？", " {H}", "草"},
	}
}

func recoveryCores() phraseData {
	return phraseData{
		"en": {"{S} is back up", "{S} is back!", "ok {S} works again", "{S} finally working again 🙏", "{S} is back online",
			"and {S} is back, crisis averted", "{S} seems to be back for me", "{S} back up, back to work I guess", "{S} is working again {H}",
			"phew, {S} is back"},
		"fr": {"{S} remarche", "ça remarche {S}", "{S} fonctionne à nouveau", "{S} est revenu", "ouf {S} refonctionne", "ça remarche !"},
		"es": {"ya funciona {S}", "volvió {S}", "{S} ya funciona", "{S} ya volvió 🙏", "ya funciona"},
		"de": {"{S} geht wieder", "{S} läuft wieder", "{S} ist wieder da"},
		"pt": {"{S} voltou", "o {S} voltou a funcionar", "{S} voltou graças a deus"},
		"it": {"{S} è tornato", "{S} funziona di nuovo", "{S} è tornato su"},
		"ja": {"{S}復活した", "{S}直った", "{S}使えるようになった"},
	}
}

// {S} is down, {B} is where the author goes.
func switchCores() phraseData {
	return phraseData{
		"en": {"{S} down, guess I'm using {B} today", "{S} is down so I'm trying {B}", "switched to {B} while {S} is out", "{S} died, {B} it is",
			"{S} down? time to finally try {B}", "ok {S} is down, {B} save me", "moving my work to {B} until {S} is back",
			"{S} not working so I'm on {B} now, honestly not bad"},
		"fr": {"{S} en panne, je passe sur {B}", "{S} down, du coup j'essaie {B}", "bon {S} est en panne, vive {B}"},
		"es": {"{S} caído, me paso a {B}", "se cayó {S}, a usar {B}", "{S} no funciona, probando {B}"},
		"de": {"{S} down, dann halt {B}", "{S} geht nicht, nehm ich eben {B}"},
		"pt": {"{S} caiu, indo pro {B}", "{S} fora do ar, usando o {B}"},
		"it": {"{S} down, passo a {B}", "{S} non funziona, uso {B}"},
		"ja": {"{S}落ちてるから{B}使う", "{S}ダメだから{B}に乗り換え"},
	}
}

// The author switched from {S} to {B} and {B} failed too.
func switchDownCores() phraseData {
	return phraseData{
		"en": {"{S} down so I switched to {B}... and {B} is down too", "tried {B} since {S} is down and now {B} is down as well 💀",
			"{S} down, {B} down, guess I'll just think for myself", "everyone moved from {S} to {B} and now {B} is down lol"},
		"fr": {"{S} en panne, je passe sur {B}... et {B} aussi est en panne", "tout le monde a fui {S} pour {B} et maintenant {B} est en panne"},
		"es": {"se cayó {S}, me pasé a {B} y ahora también se cayó {B}"},
		"de": {"{S} down, also {B} probiert, {B} jetzt auch down"},
		"pt": {"{S} caiu, fui pro {B} e o {B} caiu também"},
		"it": {"{S} down, provo {B} e anche {B} è down"},
		"ja": {"{S}落ちたから{B}にしたら{B}も落ちてる"},
	}
}

func multi2Cores() phraseData {
	return phraseData{
		"en": {"{S} and {B} both down at the same time?", "is {S} down? {B} is down too", "{S} down, {B} down... is the whole internet broken?",
			"wait {S} AND {B} are down??"},
		"fr": {"{S} et {B} en panne en même temps ?", "{S} en panne et {B} aussi, la journée commence bien"},
		"es": {"{S} y {B} caídos a la vez", "¿se cayeron {S} y {B}?"},
		"de": {"{S} und {B} gleichzeitig down?", "erst {S}, jetzt auch {B} down"},
		"pt": {"{S} e {B} fora do ar ao mesmo tempo", "caiu o {S} e o {B} também"},
		"it": {"{S} e {B} down contemporaneamente?", "anche {B} down dopo {S}"},
		"ja": {"{S}も{B}も落ちてる", "{S}と{B}両方ダメ"},
	}
}

func multi3Cores() phraseData {
	return phraseData{
		"en": {"{S}, {B} AND {C} all down. what is going on", "all the AI chatbots are down: {S}, {B}, {C}", "{S} down, {B} down, {C} down. I give up"},
		"fr": {"{S}, {B} et {C} en panne, il se passe quoi ?", "{S}, {B}, {C}... tout est en panne aujourd'hui"},
		"es": {"se cayeron {S}, {B} y {C}, ¿qué está pasando?"},
		"de": {"{S}, {B} und {C} alle down, was ist da los?"},
		"pt": {"{S}, {B} e {C} caíram, o que tá acontecendo?"},
		"it": {"{S}, {B} e {C} tutti down, che succede?"},
		"ja": {"{S}と{B}と{C}全部落ちてる"},
	}
}

// {D} is the shared dependency that took {S} down.
func causeCores() phraseData {
	return phraseData{
		"en": {"{D} is down and took {S} with it", "\"{F}\" on {S}. {D} again?", "{D} outage = {S} outage", "is {D} down? {S} won't load",
			"{S} is down because {D} is down, half the internet is broken"},
		"fr": {"{D} en panne, et donc {S} aussi", "panne de {D}, {S} est tombé avec"},
		"es": {"se cayó {D} y con él {S}"},
		"de": {"{D} Störung, deshalb ist {S} auch weg"},
		"pt": {"{D} caiu e levou o {S} junto"},
		"it": {"{D} down, e con lui {S}"},
		"ja": {"{D}障害で{S}も落ちてる"},
	}
}

// {D} took down both {S} and {B}.
func cause2Cores() phraseData {
	return phraseData{
		"en": {"half the internet is down: {S}, {B}... must be {D}", "{S} and {B} both down at the same minute, smells like {D}",
			"is {D} down? {S} and {B} won't load"},
		"fr": {"{D} en panne, {S} et {B} aussi", "{S} et {B} en panne en même temps, c'est {D} ?"},
		"es": {"{D} caído: {S} y {B} tampoco funcionan"},
		"de": {"{D} Störung, {S} und {B} auch weg"},
		"pt": {"{D} caiu, {S} e {B} fora do ar"},
		"it": {"{D} down: {S} e {B} non vanno"},
		"ja": {"{D}障害で{S}も{B}も落ちてる"},
	}
}

// Outlets reporting on an outage once it is acknowledged.
func outageNewsCores() phraseData {
	return phraseData{
		"en": {"{S} outage: {V} says it is investigating issues", "{S} is down for thousands of users, Downdetector reports",
			"{V} confirms {S} outage, no ETA yet", "BREAKING: {S} down for users worldwide", "{S} not working? Here's what we know about today's outage"},
		"fr": {"Panne de {S} : {V} enquête sur le problème", "{S} en panne dans le monde entier, ce que l'on sait"},
		"es": {"Caída de {S}: {V} investiga el problema", "{S} no funciona: lo que sabemos de la caída"},
		"de": {"{S}-Störung: {V} untersucht das Problem", "{S} down: Was wir über die Störung wissen"},
		"pt": {"{S} fora do ar: {V} investiga instabilidade"},
		"it": {"{S} down: {V} sta indagando sul problema"},
		"ja": {"{S}で大規模障害、{V}が調査中"},
	}
}

// A vendor announcement: many mentions, no complaints.
func productNewsCores() phraseData {
	return phraseData{
		"en": {"{V} just announced a new {S} feature", "{S} update is rolling out now", "big {S} announcement today", "{S} has a new model and it's wild",
			"everyone is talking about the {S} announcement", "{V} event recap: everything new in {S}"},
		"fr": {"nouvelle annonce de {V} pour {S}", "la mise à jour de {S} est dispo"},
		"es": {"{V} anuncia novedades en {S}", "ya llegó la actualización de {S}"},
		"de": {"{V} kündigt neue {S}-Funktionen an", "das neue {S}-Update ist da"},
		"pt": {"{V} anunciou novidades no {S}"},
		"it": {"{V} annuncia novità per {S}"},
		"ja": {"{S}の新機能が発表された"},
	}
}

// Ordinary posts, by category. Other languages share "ai" and "generic".
func ordinaryCores() map[string]phraseData {
	return map[string]phraseData{
		"ai": {
			"en": {"asked {S} to {T}", "{S} just helped me {T}", "used {S} to {T} and it actually worked", "can {S} {T}? asking for a friend",
				"{S} is scary good at helping me {T}", "hot take: {S} is overrated", "{S} vs {B} for coding, which one do you prefer?",
				"{S} hallucinated a fake citation again 💀", "new {S} update looks promising", "thread: {N} {S} prompts that will save you hours 🧵",
				"my teacher can totally tell when we use {S}", "is the paid {S} plan worth it?", "wrote a whole app with {S} this weekend",
				"{S} wrote my tests and they actually pass", "the {S} memory feature is kinda creepy", "is {S} better than Google now?",
				"how do you make {S} less verbose?", "{S} refused to {T} lol", "{S} wrote my wedding speech and my mother-in-law cried",
				"told {S} about my day and it suggested therapy lol", "{S} or {B} for summarizing papers?", "{S} said my code was \"elegant\" 🥹",
				"I use {S} more than my own brain at this point", "prompt engineering is just asking {S} nicely", "{S} made me a workout plan, let's see",
				"what's the best way to learn to use {S} at work?", "{S} explained my tax form better than the IRS"},
			"fr": {"j'ai demandé à {S} de {T}", "{S} m'a aidé à {T}", "vous utilisez {S} pour le boulot ?", "{S} ou {B}, lequel est le meilleur pour coder ?",
				"{S} m'a encore inventé une source 🙄", "franchement {S} est bluffant", "mon prof sait quand on utilise {S}"},
			"es": {"le pedí ayuda a {S} para {T}", "{S} me ayudó a {T}", "¿usan {S} para el trabajo?", "{S} o {B}, ¿cuál es mejor para programar?",
				"{S} se inventó una cita otra vez 🙄", "{S} es increíble para estudiar"},
			"de": {"hab {S} gebeten, {T}", "{S} hat mir geholfen, {T}", "nutzt ihr {S} auf der Arbeit?", "{S} oder {B}, was ist besser zum Programmieren?",
				"{S} hat schon wieder eine Quelle erfunden 🙄"},
			"pt": {"pedi pro {S} me ajudar a {T}", "o {S} me ajudou a {T}", "vocês usam o {S} no trabalho?", "{S} ou {B}, qual é melhor pra programar?",
				"o {S} inventou uma fonte de novo kkkk"},
			"it": {"ho chiesto a {S} di {T}", "{S} mi ha aiutato a {T}", "usate {S} per lavoro?", "{S} o {B}, quale è meglio per programmare?",
				"{S} si è inventato una fonte di nuovo 🙄"},
			"ja": {"{S}に{T}", "{S}すごすぎる", "{S}と{B}どっちがいい？", "{S}を仕事で使ってる人いる？", "{S}がまた嘘ついた", "{S}で勉強してる"},
		},
		"image": {"en": {"made this with {S} 🎨", "{S} finally draws hands right", "prompt: a cat astronaut in Tokyo. {S} delivered",
			"{S} vs DALL-E for logos?", "my {S} gallery is getting out of hand", "new {S} version looks insane"}},
		"code": {"en": {"just pushed my first PR on {S}", "{S} Actions finally green ✅", "reading the {S} docs at 2am",
			"open sourced my side project on {S}", "who else lives in {S} all day", "starred 40 repos on {S} and read none of them",
			"my {S} contribution graph is embarrassing"}},
		"cloud": {"en": {"our whole stack runs on {S}", "{S} bill this month 😬", "migrating everything to {S}", "{S} just shipped something cool",
			"hot take: {S} config is harder than the code", "moved my DNS to {S}", "{S} docs are a maze"}},
		"community": {"en": {"join our {S} server!", "who's on {S} tonight?", "muted every {S} channel, peace at last",
			"{S} voice chat until 3am again", "our {S} mods are heroes"}},
		"workchat": {"en": {"too many {S} notifications today", "{S} huddle in 5", "sent you the link on {S}", "{S} status: do not disturb",
			"the {S} channel for memes is the best part of the job"}},
		"meetings": {"en": {"{S} call in 5 min", "back to back {S} meetings all day", "forgot I was unmuted on {S} 💀", "this {S} meeting could have been an email"}},
		"messaging": {"en": {"family group chat on {S} is chaos again", "sent you a voice note on {S}", "{S} stickers are my love language",
			"left 3 {S} groups today, feel free"}},
		"video": {"en": {"this {S} video explained it better than my professor", "fell asleep with {S} on again", "{S} recommendations are so random lately",
			"3am {S} rabbit hole again", "my {S} watch later list is 400 videos long"}},
		"streaming": {"en": {"what should I watch on {S} tonight?", "this {S} documentary is incredible", "binge watching on {S} all weekend",
			"new season on {S} finally", "{S} price went up again?"}},
		"social": {"en": {"posting this on {S} before I forget", "{S} timeline is wild today", "saw it on {S} first", "{S} algorithm knows me too well",
			"deleted {S} for a week, feel great", "the {S} discourse today is exhausting", "logging off {S} for the night", "{S} or {B}, where do you spend more time?"}},
		"gaming": {"en": {"{S} summer sale when?", "bought way too many games on {S}", "anyone want to play tonight? add me on {S}",
			"{S} wishlist is out of control", "{S} just gave me a refund, nice", "new {S} update dropped"}},
		"search": {"en": {"{S} search results are getting worse", "{S} maps saved me today", "just google it... literally, on {S}",
			"{S} knows more about me than my mom"}},
		"generic": {
			"fr": {"quelqu'un utilise {S} ?", "{S} c'est vraiment pratique", "nouvelle fonctionnalité sur {S}", "vous pensez quoi de {S} ?", "{S} a encore changé son interface"},
			"es": {"¿alguien usa {S}?", "me encanta {S}", "nueva función en {S}", "¿qué opinan de {S}?", "{S} cambió su diseño otra vez"},
			"de": {"nutzt jemand {S}?", "{S} ist echt praktisch", "neue Funktion bei {S}", "was haltet ihr von {S}?", "{S} hat schon wieder das Design geändert"},
			"pt": {"alguém usa o {S}?", "amo o {S}", "novidade no {S}", "o que vocês acham do {S}?", "o {S} mudou o layout de novo"},
			"it": {"qualcuno usa {S}?", "{S} è davvero comodo", "nuova funzione su {S}", "che ne pensate di {S}?", "{S} ha cambiato di nuovo la grafica"},
			"ja": {"{S}の新機能いいね", "{S}使ってる人いる？", "{S}のUIまた変わった", "{S}便利すぎる"},
		},
	}
}

func topics() phraseData {
	return phraseData{
		"en": {"plan my trip to Lisbon", "write my unit tests", "fix my regex", "draft a cover letter", "summarize a 40-page PDF",
			"explain quantum computing like I'm five", "write a birthday poem for my mom", "make a meal plan", "debug my Python script",
			"translate my emails", "outline my thesis", "name my new cat", "write a SQL query", "rewrite my resume", "plan my D&D campaign"},
		"fr": {"planifier mon voyage à Lisbonne", "rédiger une lettre de motivation", "résumer un article", "corriger mon code",
			"traduire mes mails", "trouver des idées de recettes"},
		"es": {"planear mi viaje a Lisboa", "escribir mi carta de presentación", "resumir un artículo", "arreglar mi código",
			"traducir mis correos", "hacer un plan de comidas"},
		"de": {"meine Reise nach Lissabon zu planen", "ein Anschreiben zu schreiben", "einen Artikel zusammenzufassen",
			"meinen Code zu reparieren", "meine Mails zu übersetzen"},
		"pt": {"planejar minha viagem para Lisboa", "escrever minha carta de apresentação", "resumir um artigo", "arrumar meu código",
			"traduzir meus e-mails"},
		"it": {"pianificare il mio viaggio a Lisbona", "scrivere una lettera di presentazione", "riassumere un articolo",
			"sistemare il mio codice", "tradurre le mie email"},
		"ja": {"旅行の計画を立ててもらった", "レポートを要約してもらった", "コードを直してもらった", "メールを翻訳してもらった", "献立を考えてもらった"},
	}
}

// Posts that contain a catalog name or an outage word and are not outage complaints.
func hardNegatives() phraseData {
	return phraseData{
		"en": {
			"Just saw the Claude Monet exhibition, the water lilies are unreal", "Claude Debussy on vinyl, perfect rainy day",
			"How do I download my ChatGPT conversation history?", "feeling down today, ChatGPT cheered me up with a silly poem",
			"how do I get ChatGPT to write a shutdown script for my server", "asked ChatGPT to break down my monthly budget",
			"ChatGPT doubled down on a wrong answer lol", "the countdown to the next GPT model is on", "Netflix shares down 2% in early trading",
			"Meta stock is down again after earnings", "cut me some slack, it's only Tuesday", "zoom in on the second chart",
			"the copilot said we're starting our descent", "going to the gym to let off some steam", "Gemini season is here ♊",
			"X marks the spot 🗺️", "there's a lot of discord in the team this week", "I don't grok monads yet",
			"my code is down to 3 failing tests thanks to Copilot", "is ChatGPT down? no, it works fine for me", "ChatGPT isn't down, your wifi is",
			"slow down and ask Claude to review it first", "downloading Discord on my new laptop", "Steam Deck price drop, finally",
			"when ChatGPT goes down we'll find out who can actually code", "Perplexity is the right word for my face reading this contract",
			"Claude Shannon basically invented information theory", "writing a down-to-earth guide to Claude prompts",
			"the GitHub Copilot crash course was great", "Netflix show about a system outage was so stressful",
		},
		"fr": {"Exposition Claude Monet au musée d'Orsay, magnifique", "Claude François à la radio, nostalgie", "le mistral souffle fort aujourd'hui",
			"je suis down pour un ciné ce soir", "comment télécharger l'appli ChatGPT ?", "mon oncle Claude a encore fait la blague du down"},
		"es": {"la exposición de Claude Monet en Madrid es preciosa", "¿cómo descargo mis chats de ChatGPT?", "bajó el precio del Steam Deck"},
		"de": {"Claude Monet Ausstellung in Potsdam, wunderschön", "wie lade ich ChatGPT herunter?", "Shutdown-Skript mit ChatGPT geschrieben, läuft"},
		"pt": {"exposição do Claude Monet foi linda", "como baixar o app do ChatGPT?"},
		"it": {"mostra di Claude Monet a Milano, stupenda", "come si scarica ChatGPT?"},
		"ja": {"クロード・モネ展に行ってきた", "ChatGPTのアプリをダウンロードした"},
	}
}
