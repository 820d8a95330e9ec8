package detect

// The lexicon: the phrases the matcher recognises besides service names, by role and
// language (English, French, Spanish, German, Portuguese, Italian, Japanese; and a basic
// set of complaint and recovery phrases in Dutch, Russian, Ukrainian, Polish, Turkish,
// Korean, Chinese, Indonesian and Arabic). Each table
// is text, one group per line:
//
//	[flags |] phrase, phrase, ...
//
// Phrases are written naturally; they are normalised like post text (case, accents,
// apostrophes and hyphens folded), and variants are added automatically: "n't" -> "nt",
// apostrophes dropped ("cant"), umlauts spelt out ("stoerung"), and for complaint and
// recovery phrases a spaceless form for hashtags ("#chatgptenpanne").
//
// Flags for cues (complaint, recovery, negation, ok):
//
//	w        weak: only counts right next to a service ("ChatGPT down"), never by default
//	y        symptom: names a failure by itself ("outage", "502"); applies to every
//	         service of its sentence (or of the post) that is not merely being used
//	r        object cue: look for the service after the phrase first ("issues with X")
//	n        not when a number follows ("down 3%", "giù del 5%")
//	x        not when an unknown word follows ("non va sottovalutato": an auxiliary)
//	login errors capacity slow app api website network: problem categories it reports
//
// Cues without w or y are predicates: they attach to the service right before them
// (allowing one unknown word), to a pronoun's antecedent, or to the service right after
// them ("se cayó ChatGPT"); with no subject at all they apply to the post's services.
//
// Writing rules that keep the layer general: start a cue at its content word or its
// negator ("not working", "no funciona"), never at a copula (copulas are fillers); an
// idiom that swallows a cue word ("down to earth") goes to lexBlocks.
//
// Negated and inflected availability verbs need not be listed here: the negators,
// verbs and error frames of lexicon_verbs.go compose them. List here what does not
// compose: slang ("cooked", "en rade", "tá off", "落ちた"), fixed idioms and the texts
// of error messages ("Something went wrong", "Hubo un error al generar").

const lexComplaints = `
# English
dropped all, dropped everyone, kicked everyone, nobody can rejoin, no one can rejoin, can't rejoin, nobody can join, no one can join, skips to the next song, keeps skipping, just stops, keeps stopping, stuck on syncing, stuck syncing, no new emails, not coming in, emails not coming in, payments failing, payments are failing, payments declined, 500 on everything, 500s on everything, errors on everything
y errors | unblock challenges, challenges cloudflare com, please unblock
queued for, not a single runner, no runner picking up, stuck on waiting, stuck waiting, stuck in queued, stuck pending, stuck at 0%, stuck at zero, stuck on queued, stuck in the queue, stuck in queue, stuck on building, stuck building, stuck deploying, builds queued, jobs queued, jobs stuck, builds stuck, deploys stuck, deploy stuck, not going out, not arriving, isn't arriving, aren't arriving, never arrives, never arrive, never arrived, not coming through, not delivering, not being delivered, not getting delivered, not picking up jobs, not picking up, not saving, won't save, doesn't save, kicking me out, keeps kicking me out, kicked me out, keeps kicking everyone, keeps logging me out, keeps disconnecting me, dropping calls, calls dropping, keeps dropping calls, blank timeline, white screen of death
r | rejecting all, declining all, rejecting every, failing all, failing every
y slow | high latency, latency spikes, latency spike, latency through the roof, p99 through the roof, massive latency, insane latency
y errors | etimedout, econnreset, econnrefused, eai_again, internal_service_error, internal_server_error, function_invocation_timeout, service_unavailable, bad_gateway, gateway_timeout, insufficientinstancecapacity, returning 500, returns 500, returning 500s, throwing 500, throwing 500s, throws 500, giving 500, giving 500s, 500 on every, 500 on all
y capacity | rate limited, rate-limited, getting rate limited, try again later, servers full, servers are full, server full, queue is full
network | could not connect, couldn't connect, failed to connect, fails to connect, unable to reach the server, could not reach the server, can't reach the server
y capacity | higher than usual load, higher-than-usual load, unusually high load, higher than usual traffic, unusually high traffic
w n | down
w | ded, broken, borked, busted, glitching, glitchy, bugging, bugged, bugged out, crashing, crashed, crashes, offline, kaput, unusable, flaky, tweaking, dying, died, frozen, froze, freezes, hanging, hangs, spinning, just spinning, keeps spinning, spinning forever, cutting out, keeps cutting out, keeps dropping, keeps logging out
w network | no internet connection, no connection
w slow | slow, so slow, super slow, very slow, lagging, laggy, lags, sluggish, buffering, takes forever, taking forever, painfully slow, crawling
w errors | erroring, errored, keeps erroring, error message, error messages, error code, error codes, getting errors, getting an error, getting error, throwing errors, throwing an error, throws an error, throws errors, returns an error, returns errors, returning errors, returning an error, gives an error, giving errors, giving me errors, gave me an error, gives me an error, shows an error
not working, isn't working, aren't working, won't even load, doesn't even load, won't even open, isn't even loading, not even loading, infinite loading, loading forever, not workin, no longer working, doesn't work, does not work, don't work, won't work, stopped working, not responding, isn't responding, stopped responding, not loading, isn't loading, won't load, doesn't load, not opening, won't open, can't open, can't even open, not sending, won't send, not syncing, isn't syncing, won't sync, keeps crashing, keeps freezing, freezing, won't start, not starting, not going through, not available, unavailable, inaccessible, unreachable, not reachable, not accessible, going down, went down, goes down, gone down, down again, down rn, down right now, down atm, down everywhere, down for everyone, down for me, down for anyone, down for everybody, down for all, fully down, totally down, completely down, up and down, acting up, playing up, having issues, having problems, having trouble, having a moment, having an outage, having a bad day, having a rough day, servers are dead, server is dead, servers dead, servers died, stuck loading, stuck on loading, stuck on sending, stuck sending, stuck in queue, stuck in queued, stuck queued, stuck at building, stuck spinning, stuck on the loading screen, failing, keeps failing, not working properly, won't let me, not letting me, doesn't let me, wouldn't let me
network | won't connect, can't connect, cannot connect, not connecting, unable to connect, keeps disconnecting, disconnecting, disconnected, timing out, times out, timed out, keeps timing out
r | won't play, can't play, cannot play, not playing, isn't playing, issues with, problems with, trouble with, trouble accessing, issues accessing, problems accessing, trouble connecting to, can't access, cannot access, unable to access, can't reach, cannot reach, can't get into, can't use, cannot use, unable to use
r login | can't log in, can't login, cannot log in, cannot login, can't sign in, cannot sign in, unable to log in, unable to login, unable to sign in, can't log into, can't sign into, login loop, logged me out, keeps logging me out, login not working, login issues, login problems, login error, can't log on
y | server issues, server problems, blank page, blank screen, white screen, black screen, grey screen, gray screen, outage, outages, major outage, partial outage, downtime, down time, service disruption, service disruptions, degraded performance, degraded service, service degradation, downdetector, down detector, outage map, is it down, isitdown, isdown
y errors | request timeout, upstream request timeout, upstream connect error, something went wrong, something has gone wrong, something seems to have gone wrong, an error occurred, an error has occurred, error occurred, internal server error, server error, server errors, bad gateway, gateway timeout, service unavailable, 500 error, error 500, 500 errors, 500s, 502, 502s, 503, 503s, 504, 504s, 520, 521, 522, 523, 524, 529, error in body stream, error in message stream, unable to load site, elevated error rates, elevated errors, elevated error rate, error generating a response, http error, having a hard time fulfilling your request, i'm having a hard time fulfilling your request
y capacity | at capacity, over capacity, overloaded, overloaded error, overloaded_error, too many requests, server busy, servers are busy, server is busy, high demand, experiencing high demand, heavy load
y network | connection issues, connection problems, connectivity issues
y errors network | network error, network errors, connection error, connection errors, connection lost, lost connection, connection failed, connection timed out, err_connection_refused, connection reset

# French
est par terre, encore par terre, qui est par terre, ne se synchronisent plus, ne se synchronise plus, se synchronisent plus, se synchronise plus, paiements refusés, les paiements échouent
y errors | débloquer challenges
ça déco, ca deco, ça déconnecte, se déconnecte, se déconnecte sans arrêt, déconnecte en boucle, redémarre en boucle, plante en boucle, tourne en boucle, tourne depuis, mouline depuis, bloqué sur, bloquée sur, coincé sur, arrivent pas, n'arrivent pas, arrivent avec du retard, arrivent en retard, partent pas, ne s'envoie pas, s'envoient pas, ne sauvegarde pas, ne s'enregistre pas, m'éjecte, me déconnecte, écran blanc, écran noir, écran gris
y errors | renvoie des 500, renvoie 500, renvoie une 500, retourne des 500, retourne 500, crache des 500
y capacity | serveurs pleins, serveurs saturés
y network | connexion en cours
w errors | code erreur, message d'erreur, une erreur à chaque, erreur à chaque
w | tombé, tombée, tombés, tombées, ça lag, ca lag, ça freeze, hs, ça bug, ca bug, bugue, beug, beugue, plante, plantage, planté, crashe, bloqué, bloquée, en rade, en carafe, en vrac
w slow | rame, lent, lente, très lent, super lent, rame de fou, si lent, si lente
en panne, en pls, en panne de nouveau, encore en panne, tombé en panne, tombée en panne, ne se charge pas, ne se charge plus, rien ne se charge, ne charge rien, n'arrive pas à charger, impossible de charger, impossible d'envoyer, se bloque, se fige, freeze, ne s'affiche plus, ne fonctionne pas, ne fonctionne plus, fonctionne pas, fonctionne plus, ne marche pas, ne marche plus, marche pas, marche plus, ne répond pas, ne répond plus, répond plus, répond pas, ne charge pas, ne charge plus, charge pas, rien ne charge, ne s'ouvre pas, ne se lance pas, hors service, hors ligne, indisponible, inaccessible, injoignable, ne partent pas, ne part pas, ne veut pas charger, tourne dans le vide, ne s'affiche pas, ne fonctionne toujours pas
r login | impossible de se connecter, impossible de me connecter, impossible de nous connecter, impossible d'accéder, impossible d'accéder à, n'arrive pas à me connecter, n'arrive pas à se connecter, je n'arrive pas à accéder
r | problème avec, problèmes avec, souci avec, soucis avec, bug sur, bugs sur
y | panne, grosse panne, panne générale, panne mondiale, dysfonctionnement, dysfonctionnements, perturbation, perturbations, interruption de service
y errors | une erreur s'est produite, erreur serveur, erreur interne
y errors network | erreur réseau, erreur de réseau, erreur de connexion, problème de connexion, problèmes de connexion
capacity | surchargé, surchargée, surchargés, saturé, saturés, saturée

# Spanish
sigue caído, sigue caída, sigue caídos, sigue sin funcionar, sigue sin andar, continúa caído, sin poder entrar, sin poder acceder, no procesa, no procesa nada, no llegan notificaciones, los pagos fallan
colgado en, colgada en, se cuelga, se colgó, se queda colgado, se queda colgada, se queda cargando, se quedan cargando, se queda pensando, en cola sin, atascado en, atascada en, trabado en, trabada en, no llegan, no llega, no se envían, no se envía, no guarda, no se guarda, me saca, me echa, me expulsa, me desconecta, se desconecta, pantalla en blanco, pantalla blanca, pantalla negra, sin red, sin conexión
r | rechaza todos, rechaza todas, rechaza los, rechazando todos
y errors | tirando 500, tira 500, tira error 500, devolviendo 500, devuelve 500, da error 500, dando 500, tirando errores, tirando error
y slow | latencia alta, latencia altísima, latencia brutal
y capacity | servidores llenos, servidores saturados
se me corta, se corta a cada rato, se corta todo el tiempo, ni abre, ni carga, ya ni abre, ya ni carga, no me abre, no abre
w | fallando, colapsado, colapsada, trabado, bugueado, se colgó, se cuelga, se traba, se trabó, se congela, se congeló, se bloqueó, se bloquea, se puso lento, no contesta, no reproduce
w slow | lento, lenta, lentísimo, lentísima, muy lento, va lento
w errors | da error, dando error, me da error, tira error, me tira error, mensaje de error, sale error, me sale error
caído, caída, caídos, caídas, caido, se cayó, se cae, se ha caído, se calló, se callo, no funciona, no funcionan, no está funcionando, no esta funcionando, ya no funciona, no funca, no anda, no carga, no me carga, no cargan, no abre, no me abre, no conecta, no se conecta, sin servicio, fuera de servicio, fuera de línea, no llegan, no me llegan, no se envían, no envía, se queda cargando, no deja entrar, no me deja entrar, no me deja
r login | no puedo iniciar sesión, no puedo entrar, no puedo acceder, no me deja iniciar sesión, no puedo loguearme, no puedo ingresar
r | problemas con, problema con, fallos en, fallas en
y | pantalla negra, pantalla en blanco, caída de, caída del, caída general, caída masiva, intermitencias, fallo general, falla general, falla masiva
y errors | algo salió mal, ha ocurrido un error, se ha producido un error, ocurrió un error, error del servidor, error interno
y errors network | error de red, error de conexión, error de conexion, problemas de conexión
capacity | saturado, saturada, saturados, sobrecargado, sobrecargada
y capacity | servidor ocupado, servidores ocupados, al máximo de capacidad

# German
ist immer noch down, immer noch down, immer noch weg, keine benachrichtigungen mehr, keine nachrichten mehr, zahlungen schlagen fehl
bleibt hängen, hängt seit, hängt fest, hängen fest, laden ewig, lädt ewig, läuft in timeout, läuft in einen timeout, laufen in timeout, laufen in einen timeout, kommen nicht an, kommt nicht an, wird nicht zugestellt, werden nicht zugestellt, speichert nicht, wirft mich raus, fliege raus, fliege ständig raus, schmeißt mich raus, trennt ständig, grauer bildschirm, grauen bildschirm, weißer bildschirm, weißen bildschirm, weißen screen, schwarzer bildschirm, schwarzen bildschirm, derzeit nicht verfügbar, momentan nicht verfügbar
y errors | gibt 500 zurück, gibt 500, liefert 500, liefert 500er, wirft 500, wirft 500er, 500er fehler, 500er
y slow | hohe latenz, latenz spikes
y capacity | hoher nachfrage, hohe nachfrage, server voll
w | kaputt, spinnt, zickt, streikt, hängt, hängen, hängt sich auf, abgestürzt, stürzt, stürzt ab, instabil
w slow | langsam, lahm, super langsam, extrem langsam, lädt ewig, laden ewig
w errors | fehlermeldung, fehlermeldungen, zeigt nur fehler, fehlercode
funktioniert nicht, funktioniert nicht mehr, funktionieren nicht, funzt nicht, geht nicht, geht nicht mehr, geht gar nicht, geht bei mir nicht, funktioniert bei mir nicht, läuft nicht, läuft nicht mehr, läuft bei mir nicht, lädt nicht, laden nicht, lädt bei mir nicht, reagiert nicht, reagiert nicht mehr, antwortet nicht, antwortet nicht mehr, startet nicht, öffnet nicht, öffnet sich nicht, ausgefallen, nicht erreichbar, nicht verfügbar, kommen nicht an, kommt nicht an, brechen ab, bricht ab, keine verbindung, liegt flach
r login | nicht anmelden, nicht einloggen, anmeldung geht nicht, login geht nicht, kann mich nicht anmelden, kann mich nicht einloggen
r | probleme mit, probleme bei, störung bei, störungen bei, ausfall bei
y | störung, störungen, ausfall, ausfälle, totalausfall, großstörung, serverprobleme, großer ausfall
y errors | ein fehler ist aufgetreten, serverfehler, interner fehler
y network | verbindungsabbruch, verbindungsabbrüche, verbindungsprobleme
y errors network | netzwerkfehler, verbindungsfehler
capacity | überlastet, ausgelastet
y capacity | überlastung

# Portuguese
continua fora, continua fora do ar, segue fora, segue fora do ar, sem conseguir entrar, sem conseguir acessar, não processa, nao processa, sem notificações, pagamentos falhando
parado em, parada em, parado desde, parada desde, travado em, travada em, preso em, presa em, fica conectando, fica carregando, tentando conectar, nunca entra, não entra, nao entra, não salva, nao salva, não chegam, não chega, nao chegam, demoram a chegar, demora a chegar, demorando pra chegar, me derruba, derrubando, caindo a cada, cai a cada, me expulsa, me desconecta, tela branca, tela preta
y errors | devolvendo 500, retornando 500, dando 500, dando erro 500, dando erro, dando error
y slow | latência absurda, latência alta, latencia absurda, delay absurdo, lag absurdo
y capacity | servidores cheios, servidor cheio, fila de espera, fila pra entrar, fila para entrar
w | travando, travado, travada, travou, bugou, bugado, bugada, instável, instáveis, deu ruim
w n | parou
w slow | lento, lenta, muito lento, lentidão
w errors | dando erro, dá erro, da erro, deu erro, mensagem de erro
caiu, caído, fora do ar, tá fora, está fora, ta fora, foi pro saco, não funciona, não está funcionando, não tá funcionando, nao ta funcionando, não funcionam, parou de funcionar, não carrega, não carregam, não abre, não conecta, não envia, sem conexão
r login | ninguém consegue entrar, não consegue entrar, não consigo entrar, não consigo logar, não consigo acessar, não consigo fazer login, não consigo conectar
r | problemas com, problema com, problema no, problema na
y | queda do, queda da, queda no, queda na, quedas do, instabilidade, instabilidades
y errors | ocorreu um erro, erro no servidor, erro interno
y errors network | erro de rede, erro de conexão
capacity | sobrecarregado, sobrecarregada
y capacity | servidor ocupado, no limite de capacidade, limite de capacidade

# Italian
falliscono, falliscono tutti, i pagamenti falliscono, nessuna notifica, è ancora giù, ancora giù, non si apre
mi butta fuori, ci butta fuori, butta fuori, mi sbatte fuori, mi disconnette, si disconnette, la chiamata cade, le chiamate cadono, cade la chiamata, fermo su, ferma su, ferma in, fermo in, bloccato su, bloccata su, bloccato da, non partono, non parte, restano grigi, non arrivano, non arriva, non salva, non si salva, login e poi logout, schermo bianco, schermo nero, va in timeout, vanno in timeout
y errors | restituisce 500, restituisce errore, dà 500, errore 500
y slow | latenza alta, latenza altissima, latenza assurda
va in crash, vanno in crash, è andato in crash, è andata in crash, crasha, crasha sempre, continua a crashare
w n | giù
w | si è bloccato, si è bloccata, si blocca, si è rotto, si è piantato, si pianta, si è impallato, si chiude, si è chiuso, bloccato, bloccata, bloccati, crashato, crashata, crasha, impallato, buggato, instabile
w slow | lento, lenta, lentissimo, lentissima, va a scatti, a scatti, scatta
w errors | da errore, dà errore, messaggio di errore, mi dà errore, mi da errore
non funziona, non funziona più, non funzionano, non va più, non carica, non caricano, non si apre, non si aprono, non risponde più, non parte, in down, va down, è andato giù, è andato down, irraggiungibile, non raggiungibile, inaccessibile, fuori servizio, non si connette, non si collega, non mi scarica, non scarica
r login | non riesco ad accedere, non riesco a accedere, non riesco a entrare, non riesco ad entrare, non mi fa accedere, non mi fa entrare
r | problemi con, problema con, problemi su
x | non va, non risponde, no va, no responde, não responde, ne répond pas
y | disservizio, disservizi, guasto, interruzione del servizio, down generale
y errors | si è verificato un errore, errore del server, errore interno
y errors network | errore di rete, errore di connessione, problemi di connessione
capacity | sovraccarico, sovraccarica, sovraccaricato, sovraccaricati, sovraccarichi

# Japanese
復旧せず, 復旧してない, 復旧していない, まだ復旧しない, 続いてる, まだ続いてる
中のまま, queuedのまま, pendingのまま, 読み込み中, 繋がらん, つながらん, が真っ白, 真っ白になる, 真っ白になった, 真っ白のまま, 画面真っ白, が真っ黒, 真っ黒になる, 画面真っ黒, 読み込まれない, 読み込まれへん, くるくる, グルグル, ぐるぐる, 進まない, 入れない, 入れん, 弾かれる, はじかれる, 途切れ途切れ, 途切れる, 接続できません, 失敗しまくって, 失敗する, 失敗してる, 保存できない, 届かん
y errors | エラー吐いてる, エラー吐く, エラー連発, 500エラー, 502エラー, 503エラー, エラーコードが出, エラーコード出, エラーコードで弾かれる
y slow | レイテンシが高い, レイテンシがひどい, 遅延してる, 遅延が発生, 遅延がひどい
w | 落ちてる, 落ちた, 落ちている, 落ちてます, 落ちました, 落ちてて, 落ちとる, 落ちてん, 落ちてた, 落ちてる？, ダウン, 死んでる, 死んだ, 不安定
w slow | 重い, 重すぎ, 重すぎる, 重たい, 重くて, 遅い, 遅すぎ, 遅すぎる
w errors | エラー, エラーばかり, エラーしか出ない, エラーになる, エラー出る, エラーが出る
繋がらない, つながらない, 使えない, 使えなくなった, 動かない, 開かない, 見れない, 見られない, 読み込めない, 表示されない, 更新されない, 送れない, 送信できない, 再生できない, アクセスできない, 応答しない, 反応しない, 止まってる, 返ってこない, 返事がない, 落ちまくり
login | ログインできない, ログイン出来ない, サインインできない
network | 接続できない, 繋がりにくい, つながりにくい
y | 障害, 大規模障害, 障害発生, 障害中, 不具合, サーバーダウン, 鯖落ち, 通信障害
y errors | 接続エラー, サーバーエラー
y errors network | ネットワークエラー, 通信エラー
y capacity | 混雑, 混雑してて, アクセス集中
# Slang, inflections and quoted error texts, by language
w | cooked, is cooked, ded af, is stuck, stuck loading, stuck on the loading, stuck at loading, stuck generating, stuck thinking, fried, bricked, nuked, struggling, shitting itself, shitting the bed, having a stroke, giving up, gave up on me, hiccuping, fubar, borked again
not wokring, not wroking, not workign, not workng, isnt wokring
y errors | unexpected error, an unexpected error, unknown error, an unknown error, failed to fetch, failed to load, load failed, network error occurred, error communicating, error communicating with plugin service, conversation not found, temporarily unavailable, service temporarily unavailable, getting rate limited, got rate limited, rate limit exceeded, 429, too many requests in 1 hour, request failed, oops something went wrong, experiencing issues, experiencing problems, experiencing an outage, is experiencing an outage, service outage
w | mort, il bug, elle bug, ça bug encore, bugge, buggé, bugé, crashé, ça coupe, coupe, déconne, ça déconne, foire, ça foire, lâche, qui lâche, mouline, ça mouline
inutilisable, complètement inutilisable, ne répond plus du tout
w | muerto, se murió, murió, petó, se petó, valió madre, se fue, colapsó, tronó, crasheó, crashea, se crasheó
sin conexión
w | tot, hinüber, im eimer, abgeschmiert, schmiert ab, kackt ab, abgekackt, buggt, laggt, spackt, spackt rum, am arsch, macht zicken
macht probleme, machen probleme, bricht ständig ab, bricht immer ab, bricht alles ab
geht bei euch, geht's bei euch, läuft bei euch, funktioniert bei euch, funktionieren bei euch, klappt bei euch, geht bei dir, funktioniert bei dir
w | morreu, morto, caindo, tá off, ta off, está off, bugando, deu pau, pifou, capotou, crashou, crashando, zoado, quebrou, travou tudo
caíram, caiu tudo, sem funcionar, sin funcionar, sin cargar, sin responder
w | morto, è morto, defunto, in tilt, cade, cadono, si blocca sempre
è andato in tilt, andato in tilt
y capacity | server occupato, server sovraccarico, server saturo, serveur occupé, serveurs saturés, servidor saturado, servidores saturados, server überlastet
w | しんでる, しんだ, 死亡, 落ち, 固まる, 固まった, 固まって, 固まってる, フリーズ, バグってる, バグった, バグって, 落ちすぎ
使えな, 使えね, 繋がらな, 繋がらね, つながらな, 動かな, 動かね, 開かな, 見れな, 見られな, 読み込めな, 読み込まな, 表示されな, 送れな, 届かな, 返ってこな, 返事こな, 返信こな, 再生できな, 送信できな, 更新できな, 投稿できな, 起動しな, 起動できな, 反応しな, 応答しな, アクセスできな
login | ログインできな, ログイン出来な, サインインできな
network | 接続できな
errors | エラーにな, エラーが出, エラー出, エラー吐, エラーばっか, エラーしか
x | has issues, has problems, have issues, have problems
is having issues, having some issues, having some problems, having technical difficulties, experiencing technical difficulties, having a meltdown, on the fritz, shit the bed, shat the bed, trippin, tripping, acting weird, acting funny, being weird
r login | trouble logging in, trouble logging into, trouble signing in, problems logging in, issues logging in
y | can't be reached, cannot be reached, high volume of requests, experiencing a high volume, capacity constraints, will return soon, a bit busy
x | a des problèmes, a un problème, a des soucis, a un souci, a des bugs, a un bug
fait des siennes, rencontre des problèmes, connaît des problèmes, connaît une panne, subit une panne, bug depuis, beug depuis, bug encore, bug grave, bug de ouf, bug trop, bug chez, bugue depuis, tourne en boucle, met des plombes, trois plombes
est ko, sont ko, complètement ko, totalement ko
y errors | une erreur est survenue, un problème est survenu, quelque chose s'est mal passé
x | tiene problemas, tienen problemas, tiene fallas, tiene fallos, tiene un problema
está con problemas, anda con problemas, presenta fallas, presenta problemas, está presentando fallas, tiene intermitencias, anda mal, funciona mal, ya no sirve
y errors | se produjo un error, algo ha salido mal
x | hat probleme, haben probleme
hat störungen, hat eine störung, hat einen ausfall, hat gerade probleme, macht mucken, hat aussetzer, hat einen aussetzer
y errors | etwas ist schiefgelaufen, ist ein fehler aufgetreten, da ist etwas schiefgelaufen
x | tá com problema, está com problema, tá com problemas, está com problemas
com instabilidade, apresentando instabilidade, apresenta falhas, tá com falha, está com falha
y errors | algo deu errado
x | ha problemi, ha dei problemi, sta avendo problemi, dà problemi, hanno problemi
y errors | qualcosa è andato storto, si è verificato un problema
w | おかしい, 調子悪い, 調子が悪い, 調子わるい, 止まった
動作しな, 開けな, 落ちまくって
y errors | 問題が発生しました, エラーが発生しました
login | kicking me out, kicks me out, keeps kicking me out, kicked me out, kicking us out, keeps logging me out
à l'arrêt, complètement à l'arrêt
se me cayó, se nos cayó, se me cae, se me colgó, se me traba, se me trabó, se me congela, se me congeló, se me fue, se me fue el
y | aussetzer
x | will nicht, will einfach nicht, will nicht mehr
応答なし, 反応なし, 応答がない, 反応がない
w | 止まる, 止まって
unresponsive, completely unresponsive, erroring out, errors out, errored out, cutting in and out, cuts in and out, keeps cutting out
w | keeps cutting
w | fatal, anda fatal, va fatal, funciona fatal, está fatal, están fatal, roto, rota, está roto, está rota, è rotto, è rotta
w | en maintenance, under maintenance, down for maintenance, en mantenimiento, em manutenção, in manutenzione, in wartung
w | aux fraises, à la ramasse, dans les choux, bufferise, ça bufferise, d'une lenteur
y slow | lenteurs, quelle lenteur
y capacity | demasiadas solicitudes, demasiadas peticiones, trop de requêtes, zu viele anfragen, muitas solicitações, troppe richieste
smesso di funzionare, ha smesso di funzionare, dejó de funcionar, ha dejado de funcionar, a cessé de fonctionner, hat aufgehört zu funktionieren, stopped loading, stopped responding
se queda pensando, se queda en blanco, fica pensando, resta a pensare, reste bloqué, reste bloquée
w | stockt, ruckelt, hakt, schlägt fehl, schlagen fehl
lässt mich nicht rein, lässt mich nicht mehr rein, komme nicht rein, komm nicht rein, zeigt nichts an, zeigt mir nichts an, zeigt gar nichts, zeigt nichts mehr an, zeigt mir gar nichts mehr an
y errors | fehlgeschlagen
繋がらん, つながらん, 使えん, 動かん, 見れん, 開かん, 返してくれな, 返事しな, また落ちてない, 接続中のまま
w | 接続中
w slow | takes ages, taking ages, takes years, tarda siglos, tarda una eternidad, tarda años, tarda mucho, tardando mucho, demorando, demora uma eternidade, demorando uma eternidade, demora muito, demorando muito, ci mette un'eternità, ci mette una vita, ci mette troppo, ci mette secoli, met une éternité, prend une éternité, met un temps fou, braucht ewig, dauert ewig, dauert ewig lange, en train de ramer, ramer
w | is blank, goes blank, went blank, em branco, in bianco, bleibt leer, bleibt weiß, à l'agonie, coupent, ça coupe tout le temps, 読み込み中
gehen nicht raus, geht nicht raus, lässt mich nicht, lässt uns nicht, me laisse pas, me laisse plus, ne me laisse pas, ne me laisse plus, não deixa, não me deixa, não tá deixando, não está deixando, nao deixa
y errors | fehler beim verbinden, fehler beim laden, error inesperado, erreur inattendue, errore imprevisto, erro inesperado, unerwarteter fehler
受信できな, compare un errore, mi compare un errore, compare l'errore
r login | can't get in, cannot get in, can't get into, can't log back in
w | toast, is toast, servers are on fire, servers on fire, lag, buffert, puffert, ぐるぐる, éjecté, éjectés, m'a éjecté, nous a éjectés
nothing loads, nothing is loading, nothing works, nada carga, nichts lädt, niente carica, nada carrega, nothing will load
se cayeron, cayeron, se han caído, se cayó todo, no deja, com problema no, com problema na, com problemas no
再生されな, 再生しな
y errors | upload failed, there was an error, hubo un error, il y a eu une erreur, es gab einen fehler, houve um erro, c'è stato un errore, having trouble playing, trouble playing this title
# Basic coverage of more languages (Dutch, Russian, Ukrainian, Polish, Turkish, Korean,
# Chinese, Indonesian, Arabic): the common ways to say a service is down, not the full
# composition the seven main languages get.
ligt eruit, ligt er uit, ligt plat, is plat, alweer plat, weer plat, liggen plat, doet het niet, doet het niet meer, werkt niet, werkt niet meer, werkt helemaal niet, laadt niet, kan niet inloggen, een storing, storingen, grote storing, storing bij
w | eruit
не работает, не работают, не работает сейчас, не грузится, не загружается, не открывается, не отвечает, перестал работать, сбой, сбои, массовый сбой, лежит весь, не могу зайти, не заходит
w | упал, упала, упали, лежит, лежат, лег, легла, глючит, тормозит
не працює, не працюють, не відкривається, не завантажується, збій
w | впав, лежить
nie działa, nie działają, nie działa mi, przestał działać, nie ładuje się, nie mogę się zalogować, awaria, awarie, awaria serwerów
w | padł, padło, padła, padły, leży, leżą
çöktü, çöktü mü, çalışmıyor, açılmıyor, yüklenmiyor, giriş yapamıyorum, erişim sorunu, erişim problemi, kesinti, bağlanamıyorum
w | gitti, patladı
먹통, 접속 안 됨, 접속이 안 돼, 접속이 안 됨, 접속 불가, 서버 터짐, 서버 다운, 안 열려, 로그인 안 돼, 로그인이 안 돼
y | 장애, 접속 장애, 서버 장애, 오류 발생
w | plat, 다운, 터짐, 터졌, 안 돼, 안돼, 안됨, 안 됨, 안 되, 안 보여, 안 보임, 안 나와, 안 나옴, 안 떠
오류가 떠, 오류가 뜨, 오류가 나, 에러가 떠, 에러가 뜨, 에러가 나, 오류 나, 에러 나, 오류가 계속 떠, 에러가 계속 떠, 오류가 자꾸 떠, 에러가 자꾸 떠, 안 나오, 안 들어가, 못 들어가, 안 열리, 안 열림
崩了, 又崩了, 挂了, 宕机, 用不了, 打不开, 无法访问, 無法訪問, 登不上, 登录不了, 连不上, 連不上
y | 服务中断, 服務中斷, 故障, 大规模故障
w | 崩溃, 崩潰, 掛了
又卡了, 卡死了, 又卡死了, 卡爆了
lagi down, sedang down, tidak bisa dibuka, gak bisa dibuka, ga bisa dibuka, nggak bisa dibuka, tidak berfungsi, gak bisa login, ga bisa login, tidak bisa diakses, gak bisa diakses, lagi gangguan, sedang gangguan, mengalami gangguan
y | gangguan server
w | error lagi, eror, lagi error, lagi eror
blijven bufferen, blijft bufferen, eeuwig bufferen, geeft een foutmelding, geeft steeds een foutmelding, geeft foutmelding, foutcode, problemen met inloggen, stopt met afspelen, stopt steeds, doet raar, laadt niks
лёг, прилёг, не отправляются, не отправляется, опять упал, опять лежит, не грузит, сервера лежат, отдаёт 500, отдает 500, в таймаут, не пускает, не зайти, не могу войти
w | висит, лег, прилег, ошибка
опять тормозит, жутко тормозит, дико тормозит
się nie wysyłają, nie wysyła, wywala błąd, wyrzuca błąd, znowu leży, nie da się wejść, nie da się zalogować, się nie ładuje, wisi na, strasznie muli, muli, w kolejce od, nic się nie generuje, nie odpowiada
w | stoi, padło znowu
giremiyorum, giremiyoruz, giremiyor, hata veriyor, bir hata oluştu, hata oluştu, cevap vermiyor, yanıt vermiyor, 500 dönüyor, sorun mu var, düşmüyor, yavaşladı, donuyor
안 켜짐, 안 켜져, 안 올라가, 오류 뜨, 오류 뜸, 에러 뜸, 에러 뜨, 에러남, 에러 남, 재생 안 됨, 재생 안 돼, 로딩 안 됨, 서버 터진, 터진 듯, 튕김, 계속 튕, 푸시 안 돼, 로그인이 안 되, 로그인 안 되, 계속 끊기, 버퍼링 미쳤, 전송 안 됨, 안 열림, 동기화도 안, 멈춤, 멈췄, 접속이 안 되
服务器繁忙, 服務器繁忙, 稍后再试, 稍後再試, 进不去, 進不去, 一直失败, 一直失敗, 报错, 報錯, 一直断线, 一直斷線, 断线, 斷線, 错误代码, 錯誤代碼, 显示错误, 顯示錯誤, 发不了, 發不了, ping 不通, ping不通, 出问题, 出問題, 加载不出来, 載入不了, 卡住了
ga bisa kirim, gak bisa kirim, gabisa kirim, gabisa dibuka, ga bisa dibuka, force close, ga mau keplay, muter2 doang, maintenance lagi, ga kebuka, gak kebuka, lemot banget, ga muncul, gak muncul, ga bisa upload, error terus, lagi bermasalah, ga respon, gak respon, tidak merespon
w | lemot, gabisa
واقف, معطل, فيه عطل, عطل, طايح, ما يفتح, ما يشتغل, ما يرد, ما توصل, ما يتصل, ما تحمل, ما يحمل, يطلع خطأ, خطأ في الاتصال, فيه مشكلة, ما أقدر أدخل, ما اقدر ادخل, لا يعمل, متوقف, توقف عن العمل
# Feature-level symptoms (blind11)
sounding like a robot, sounds like a robot, robotic voice, robot voice, call dropped, calls dropped, calls dropping, keeps dropping calls, returning zero results, returns no results, returning no results, not delivered, not delivering, won't deliver, messages just spin, no audio at all, huddles dead, completely dead for us
lagga, lagga da morire, sta laggando, ブツブツ切れる, 途切れる, еле тянет, еле грузит, çok yavaş, aşırı yavaş
# Hindi (Devanagari and romanised) and Vietnamese: basic phrases
chal nahi raha, nahi chal raha, chal hi nahi raha, kaam nahi kar raha, kaam nahi kar rahi, load nahi ho raha, load nahi ho rahi, down hai, band pada hai, नहीं चल रहा, नहीं चल रही, काम नहीं कर रहा, काम नहीं कर रही, डाउन है, बंद है, लोड नहीं हो रहा
bị sập, sập rồi, sập à, lại sập, không vào được, không load được, không tải được, không gửi được, bị lỗi, đang lỗi, lỗi rồi, die rồi, không truy cập được
y | sập
# Symptoms seen in blind10 (flapping and partial outages), general phrasings
y errors | 500ing, 502ing, 503ing, 504ing, 500ing on, still 500ing, throwing 503s, throwing 502s, returning 503s, returning 502s
stuck on one tick, stuck on a single tick, stuck at one tick, one grey tick, single grey tick, spins forever, spinning forever, keeps spinning, spins and spins, queued forever, stuck on generating, stuck generating, stuck on indexing, stuck indexing
y | blank answers, blank responses, blank replies, empty responses, empty answers, returning blank, returns blank, keeps returning blank
ça plante, ca plante, tout plante, plantent, plantent tous, affiche une erreur, affiche toujours une erreur
no genera nada, no genera, no carga nada, pantalla en blanco
ist wieder weg, schon wieder weg, ist komplett weg, komplett weg, weißer bildschirm
non fa entrare, non mi fa entrare, non disponibile, non disponibili, servizio non disponibile, servizi non disponibili, schermata bianca, schermo bianco, pagina bianca, muore di nuovo
não completa, não gera nada, tela branca, fica carregando, fica carregando pra sempre, pra sempre carregando
est ko, toujours ko, complètement ko, ko depuis, écran blanc
開けない, 送れない, 重すぎて開けない, 重すぎ
`

const lexRecoveries = `
# English
recovering, seems to be recovering, is recovering, going through again, are going through again, sites loading again, loading again here
picking up jobs again, running again, green again, pipelines green again, passing again, delivering again, arriving again, loads fine now, all green again
w | back, recovered
y | is resolved, has been restored, service restored, service has been restored
fine now, ok now, okay now, good now, all fine now, seems fine now, seems good now, up now, working fine now, works fine now, loading now, back up, back online, back to normal, back again, working again, works again, work again, up again, online again, running again, up and running, loading again, loads again, works now, coming back up, came back up, came back online, is back up, all good now, good again, seems to be working again, working now
y | issue resolved, outage resolved, outage is over, outage over, incident resolved, has been resolved
# French
semble revenir, est en train de revenir, se rechargent enfin, se recharge enfin
w | revenu, revenue, rétabli, rétablie
fonctionne à nouveau, fonctionne de nouveau, refonctionne, re-fonctionne, remarche, marche à nouveau, marche de nouveau, de retour, est de retour, c'est reparti, reparti, remis en ligne, de nouveau en ligne, à nouveau en ligne, à nouveau disponible, panne terminée, panne résolue, fin de la panne, ça remarche, ça refonctionne
# Spanish
se está recuperando, se recupera, parece recuperarse
otra vez corriendo, corriendo de nuevo, ya corre, ya pasó, ya llegan, ya carga bien
w | volvió, restablecido, restablecida
ya funciona, ya funcionan, ya volvió, ha vuelto, ya está de vuelta, de vuelta, está de vuelta, funciona de nuevo, vuelve a funcionar, volvió a funcionar, ya anda, ya carga, se restableció, ya está arreglado, volvió a la normalidad, ya está bien, otra vez funciona
# German
erholt sich, sich zu erholen, laden wieder, läuft langsam wieder
liefert wieder, wieder 200, läuft wieder normal, kommen wieder an
w | behoben
funktioniert wieder, geht wieder, läuft wieder, lädt wieder, klappt wieder, wieder da, ist wieder da, wieder online, wieder erreichbar, wieder verfügbar, störung behoben, wieder normal
# Portuguese
w | voltou, normalizou, normalizado, restabelecido
já voltou, voltou a funcionar, funcionando de novo, funciona de novo, voltou ao normal, já funciona, já está funcionando, já tá funcionando, já ta funcionando
# Italian
sembra ripreso, ripreso, si riaprono, si riapre
di nuovo su, è di nuovo su, tornato su, di nuovo in piedi
w | tornato, tornata, ripristinato, ripristinata
funziona di nuovo, funzionano di nuovo, è tornato, tornato online, di nuovo online, torna a funzionare, tornato a funzionare, ha ripreso a funzionare, ripreso a funzionare, ora funziona, adesso funziona, di nuovo attivo, funziona nuovamente
# Japanese
復旧してた, 復活してた, 直ってた, 回ってる, 動くようになった
w | 復旧, 復旧した, 復活, 直った, 治った, 戻った, 戻ってきた, 解消, 回復
使えるようになった, 繋がるようになった, つながるようになった, 見れるようになった, 見られるようになった, 観れるようになった, 開けるようになった, 繋がった, つながった, 復旧しました
w | is up, are up
ya sirve, ya jala, ya abre, ya responde, ya conecta, ora va, adesso va, ora funziona di nuovo, já abre, já carrega, já conecta
se arregló, ya se arregló, arreglado, arreglaron, corrigé, réparé, c'est réparé, consertado, consertaram, risolto, è ripartito, ripartito, tutto ok, tutto a posto, is fixed, fixed now, it's fixed, they fixed it
# Basic coverage of more languages
werkt weer, doet het weer, is weer online, is weer up, weer bereikbaar, weer online, doet het weer
снова работает, опять работает, заработал, заработало, заработали, починили, всё работает, все работает, снова доступен
знову працює, запрацював, полагодили
znowu działa, już działa, działa ponownie, naprawili
tekrar çalışıyor, düzeldi, geri geldi, normale döndü
복구됨, 복구 완료, 다시 돼, 다시 됨, 정상화
wapas aa gaya, theek ho gaya, fir se chal raha, phir se chal raha, वापस आ गया, ठीक हो गया, फिर से चल रहा
vào lại được rồi, vào được rồi, bình thường lại rồi, hết lỗi rồi, hoạt động lại rồi
恢复了, 恢復了, 能用了, 可以用了, 又能用了, 修好了
sudah normal, udah normal, normal kembali, sudah bisa, udah bisa, sudah pulih
is weer terug, weer terug
ожил, ожило, ожили, поднялся, поднялось, поднялись, сообщения пошли
wróciła, wrócił, wróciło, już śmiga
açıldı nihayet, düzeldi sonunda, geri geldi
다시 됨, 다시 돼요, 복구됐, 복구 됐, 살아났, 정상화됐
终于好了, 終於好了, 又好了, 恢复正常, 恢復正常
sudah bisa lagi, udah bisa lagi, normal lagi
رجع يشتغل, رجع, اشتغل الحين, رجعت تشتغل, عاد يعمل
`

// lexNegations deny an outage ("not down", "works for me"). DESIGN.md records them as
// recovery signals; they never count as complaints.
const lexNegations = `
bij mij werkt, werkt gewoon, werkt prima hier
у меня работает, у меня всё работает, у меня все работает, нормально работает
u mnie działa, u mnie śmiga, śmiga bez problemu
sorunsuz çalışıyor, bende çalışıyor
잘 되는데, 저는 잘 돼, 잘 됩니다
我这边正常, 我這邊正常, 正常啊
aman2 aja, aman aja, lancar aja
شغال عادي, شغال عندي, يشتغل عندي
fine here, works fine here, working fine here, fine on my end, works on my end, working on my end, isnt down for me, not down here, playing fine, loads fine for me, loading fine for me
marche très bien ici, marche bien ici, fonctionne bien ici, marche ici, fonctionne ici, ça marche ici
funciona bien aquí, funciona aquí, me anda bien, anda bien acá, funciona acá
läuft bei mir ganz normal, bei mir läuft alles, läuft ganz normal, läuft völlig normal
funcionando de boa, tá funcionando de boa, funcionando aqui, funciona aqui, tá de boa aqui
funziona qui, qui funziona, da me va, a me va
うちは普通に使える, うちの環境では
not down, isn't down, is not down, aren't down, are not down, wasn't down, not down for me, isn't down for me, works for me, working for me, works fine for me, fine for me, no issues, no problems, no outage, not having issues, not having any issues
pas en panne, n'est pas en panne, pas down, n'est pas down, marche chez moi, fonctionne chez moi, marche bien chez moi, fonctionne bien chez moi
no está caído, no esta caido, no está caída, no se cayó, no se ha caído, me funciona, a mí me funciona, me funciona bien, funciona para mí
nicht down, ist nicht down, nicht ausgefallen, keine störung, keine störungen
não caiu, não está fora do ar, não tá fora do ar, aqui funciona, aqui tá funcionando, aqui está funcionando, pra mim funciona, comigo funciona
non è giù, non è down, a me funziona, da me funziona, funziona per me
落ちてない, 落ちてなかった, 落ちていない, 落ちてないよ, 障害なし, 問題ない, 問題なく使える
落ちない, 落ちません, 死んでない, しんでない, 使えてる, kein ausfall, keine probleme, aucun problème, aucune panne, ningún problema, sin problemas, nenhum problema, sem problemas, nessun problema
`

// lexOKs say a service is working, which keeps it out of the complaint's scope ("ChatGPT
// is down but Claude works fine") without being a recovery.
const lexOKs = `
w | works, working, fine, works fine, working fine, works great, works perfectly, working perfectly, seems fine, looks fine, just works, still works, still working, running fine
w | fonctionne, marche, fonctionne bien, marche bien, fonctionne parfaitement, marche nickel, ça marche
w | funciona, funciona bien, funciona perfecto, funciona perfectamente, anda bien
w | funktioniert, läuft, funktioniert einwandfrei, läuft super
w | funcionando, funciona normal, funciona bem, tá funcionando, ta funcionando
w | funziona, funziona bene, funziona benissimo, funziona perfettamente
w | 使える, 普通に使える, 動いてる, 普通に動いてる
`

// lexSwitchTo precede the service the author moves to ("switching to Claude");
// lexSwitchAfter follow it ("Claude instead", "Claudeに乗り換え"). A switch target only
// receives cues attached to it directly. Soft markers ("using", "try") set Switching
// when the post complains about another service but do not shield the target: "using
// ChatGPT ... it's at capacity" is still about ChatGPT.
const lexSwitchTo = `
switching to, switched to, switch to, switching over to, moving to, moved to, move to, going to use, gonna use, time to use, back to, over to, i'll use, off to
je passe sur, je passe à, passe sur, je vais sur, je retourne sur, je bascule sur, on passe sur, passage à
me paso a, me cambio a, cambio a, me voy a, voy a usar, vuelvo a
wechsle zu, ich wechsle zu, wechsel zu, gewechselt zu, umgestiegen auf, steige um auf, nehme ich, nehm ich, nutze ich
vou usar, vou pro, vou para o, indo pro, mudei pro, mudei para, partiu, vou de
passo a, passo su, vado su, torno a, meglio usare
soft | trying, try, using, use, a usar, uso, usando, usando o, usar, nutze, utilise, j'utilise
`

const lexSwitchAfter = `
instead, to the rescue
à la place
en su lugar
stattdessen
invece, al suo posto
em vez disso, no lugar
に乗り換え, に乗り換えた, に乗り換える, 使うか, に切り替え, に切り替えた, に移行
`

// lexInstrBefore precede, and lexInstrAfter follow, a service that is being used rather
// than complained about ("asked ChatGPT to write an outage report", "ChatGPT helped").
const lexInstrBefore = `
ask, asked, asking, let, get, told, tell, prompted, prompt, used, thanks to, according to, had
demandé à, demander à, demande à, j'ai demandé à, grâce à, selon
le pedí a, pedí a, le pregunté a, pregunté a, pregúntale a, según, gracias a, usé
gefragt, frag, fragte, laut, mithilfe von, habe
pedi pro, pedi pra, pedi ao, pedi à, perguntei ao, perguntei pro, pergunta pro, usei, segundo, graças ao
ho chiesto a, chiesto a, chiedo a, chiedi a, secondo, grazie a, ho usato
`

const lexInstrAfter = `
wrote, writes, to write, to explain, to generate, to summarize, to fix, to help, to make, helped, helps, explained, explains, cheered, cheered me up, generated, suggested, recommended, taught, made me, thinks, answered, translated, summarized
m'a aidé, m'a écrit, a écrit, m'a remonté, m'a fait, m'a encore, m'a dit, m'a expliqué, a généré
me ayudó, me dijo, me explicó, me hizo, escribió, me recomendó
gebeten, hat geholfen, hat geschrieben, hat mir, hat mich, erklärt
me ajudou, me acalmou, escreveu, me explicou, me disse, me ensinou
mi ha aiutato, mi ha tirato su, ha scritto, mi ha detto, mi ha spiegato
に聞いた, に聞いて, に聞く, に相談, に相談した, と話して, に書かせ, に書かせた, で書いた, で作った, が書いてくれた, に頼んだ
`

// lexProns refer back to services named earlier ("it's down", "sont tous en panne").
// Forms with s include their verb ("it's") and are always subjects; a bare pronoun right
// after a verb is an object ("shut it down").
const lexProns = `
s | it's, they're, everything's, its, theyre, thats, that's
it, they, them, everything
s | il, ils, ele, ela, eles, elas
ça, elle, elles, tout, tous, toutes
todo, todos, todas, esto, eso
es, alles, beide
tudo, todos
tutto, tutti, lui
それ, どれも, 全部
`

// lexClauses join clauses ("ChatGPT is down but Claude works"): they end a list and a
// subject search, like a comma.
const lexClauses = `
but, whereas, while, why, mais, alors que, pourquoi, pero, mientras, por qué, porque, aber, während, warum, mas, porém, por que, ma, però, mentre, perché, でも, けど, しかし, のに, なんで
`

const lexConjs = `
and, or, plus, nor, as well as
et, ou
ni
und, oder, sowie
ou
oppure
と, や, も, とか
`

// lexFillers are known words that may stand between a service and its cue without
// breaking the link: copulas, auxiliaries, adverbs of time and degree, articles,
// pronouns of the speaker, service nouns ("servers", "app").
const lexFillers = `
update, updates, upd, edit, psa, fyi, breaking, actualización, atualização, atualizando, mise à jour, màj, aggiornamento, 続報, 追記
voice, voice chat, vc, huddle, huddles, calls, call, images, image, pics, photos, search, payments, payment, checkout, emails, email, inbox, stories, reels, chats, channels, streams, stream, screen share, uploads, downloads, sync, syncing
le vocal, les appels, les images, les paiements, la recherche, les canaux, les notifs, les mails, nos canaux, les messages
el chat de voz, las llamadas, las imágenes, los pagos, la búsqueda, los canales, las notificaciones, los correos
der sprachchat, die anrufe, die bilder, die zahlungen, die suche, die kanäle, die benachrichtigungen, die mails
as chamadas, as imagens, os pagamentos, a busca, os canais, as notificações, os e-mails
le chiamate, le immagini, i pagamenti, la ricerca, i canali, le notifiche, le mail
ボイス, 通話, 画像, 支払い, 検索, 通知
just when, right when, for the last week, the last week, since last week, for the past week, the past few days, the last few days, for days, is, are, was, were, be, been, being, am, has, have, go, goes, going, gone, went, get, gets, getting, got, seems, seem, seemed, looks, look, appears, appear, keep, keeps, kept, just, still, again, also, too, totally, completely, fully, literally, officially, apparently, basically, seriously, really, so, very, super, actually, currently, now, rn, today, tonight, right, right now, fr, lowkey, kinda, pretty, fucking, fking, freaking, ffs, lol, lmao, the, my, our, your, their, his, her, me, we, you, for, to, on, in, at, with, all, both, anyone, anyone else, else, anybody, even, bro, guys, ugh, yall, ok, okay, well, oh, hmm, wtf, omg, damn, smh, server, servers, service, services, site, website, app, api, bot, chatbot, platform, system, systems, model, models, status, web, backend, pro, plus, premium, free tier, search, dashboard, portal, console, chat, voice, voice mode, feed, feeds, timeline, messages, dms, notifications, uploads, builds, build, deploys, deployments, pipelines, runners, launcher, client, store, cdn, an, um, uma, whole, entire, again and again, since, since this morning, since yesterday, all day, all morning, all night, saying, says, said, shows, showing, throwing, returning, returns, giving me, gives me, gave me, keeps giving me, keeps saying, just shows, ai, ia
juste quand, pile quand, depuis la semaine dernière, quelqu'un d'autre, quelqu'un, toute la matinée, toute la journée, depuis ce soir, est, sont, était, etait, ont, encore, toujours, déjà, complètement, totalement, vraiment, carrément, aussi, aujourd'hui, maintenant, en ce moment, actuellement, ce matin, ce soir, depuis, depuis ce matin, depuis hier, le, la, les, du, des, de, un, une, chez, moi, nous, vous, pour, sur, en, serveur, serveurs, appli, application, bon, bah, ben, putain, mdr, genre, trop, grave, là, juste, pile, pendant, comme, je, tombé, encore une fois, chez moi, chez vous, pour tout le monde
justo cuando, desde la semana pasada, alguien más, alguien, toda la mañana, toda la tarde, toda la noche, lleva, llevo, está, esta, están, estan, son, fue, va, se, ha, han, ya, otra vez, otra, vez, de nuevo, nuevo, hoy, ahora, ahorita, todo el día, todo el rato, completamente, totalmente, el, los, las, lo, mi, le, les, para, con, del, al, una, servidor, servidores, aplicación, página, también, sigue, sigo, igual, justo, muy, desde, hace, desde ayer, jajaja, wey, che, literal, que, qué, justo ahora
genau wenn, gerade wenn, seit letzter woche, noch jemand, jemand, den ganzen tag, seit heute früh, seit heute morgen, heute früh, ist, sind, war, waren, gerade, grad, schon, wieder, mal, heute, jetzt, komplett, total, voll, echt, auch, noch, bei, mir, mich, uns, der, die, das, den, dem, des, ein, eine, einer, seite, gleichzeitig, seit, halt, also, ja, doch, wohl, scheinbar, anscheinend, irgendwie, nur, ständig, immer, bei mir, bei euch, seit gestern, schon wieder, mal wieder
justo quando, bem quando, desde semana passada, alguém mais, alguém, a manhã toda, o dia todo, desde cedo, só, os, as, tá, ta, tao, ficou, fica, de novo, hoje, agora, já, ja, também, muito, do, da, no, na, pro, pra, meu, minha, aplicativo, mano, gente, mais, aqui, bem, na hora, de repente, do nada, desde ontem
proprio quando, proprio ora che, dalla settimana scorsa, qualcun altro, qualcuno, tutta la mattina, da stamattina, da ieri sera, più, piu, sono, era, stato, stata, di nuovo, ancora, oggi, ora, adesso, anche, il, gli, della, mi, ci, per, su, sito, pure, proprio, già, tutto il giorno, stamattina, stasera, insieme, per tutti, ha, da ieri, di
が, は, も, の, に, で, を, って, また, まだ, さっき, さっきから, 今, 今日, 急に, 完全に, ずっと, なんか, サーバー, サーバ, 鯖, アプリ, さん, ちゃん, 全然, 全く, 朝から, ちょっと, 一瞬, 昨日から, 今も, なぜか, 普通に
a lot of, lots of, so many, constant, random, weird, and then, then, out of nowhere, suddenly, all of a sudden, randomly, always, constantly, every, each, any, response, responses, requests, conversation, conversations, page, pages, video, videos, stories, chats, images, for hours, for an hour, for a while, half an hour, an hour, hours, minutes, mins, this morning, started, starts, started to, starting to, kind of, sort of, absolutely, straight up
et là, d'un coup, tout d'un coup, tout à coup, soudain, soudainement, du coup, chaque, message, requête, requêtes, réponse, réponses, conversation, page, vidéo, vidéos, appel, vocal, fil, une heure, depuis une heure, heures, qui, de ouf, sérieux, commence à, a commencé à
de repente, de la nada, y de repente, siempre, cada, mensaje, mensajes, respuesta, respuestas, conversación, video, videos, llamada, llamadas, historias, media hora, una hora, horas, minutos, empezó a, comenzó a, nos
plötzlich, auf einmal, einfach, jede, jeder, jedes, nachricht, nachrichten, anfrage, anfragen, anruf, anrufe, eine stunde, einer stunde, seit einer stunde, stunden, minuten, fängt an, dauernd, andauernd
de repente, sempre, toda, todo, todas, mensagem, mensagens, resposta, respostas, conversa, página, vídeo, vídeos, chamada, ligação, meia hora, uma hora, horas, minutos, começou a, começa a, kkk, kkkk, kkkkk, mds, pqp, slk, vei, véi
all'improvviso, improvvisamente, di colpo, ogni, messaggio, messaggi, risposta, risposte, conversazione, pagina, chiamata, chiamate, storie, mezz'ora, un'ora, ore, minuti, ha iniziato a, inizia a, che, raga, ragazzi
めちゃくちゃ, めっちゃ, すごく, かなり, 超, マジで, まじで, ほんとに, 本当に, 相変わらず, やっぱり, メッセージ, 返答, 返信, 回答, 動画, 通話, ストーリー, ページ
mon, ma, mes, ton, ta, tes, son, sa, ses, notre, nos, votre, vos, leur, leurs
mi, mis, tu, tus, su, sus, nuestro, nuestra
meu, meus, minhas, seu, sua, seus, suas, nosso, nossa
mio, mia, miei, mie, tuo, tua, suo, sua, nostro, nostra
mein, meine, meiner, meinem, meinen, dein, deine, unser, unsere
in questo momento, al momento, ahora mismo, en este momento, neste momento, nesse momento, im moment, momentan, derzeit, à l'instant, nada, nothing, rien, niente, nulla, nichts, 何も, 同時に, 一緒に, 再生
matchmaking, queue, lobby, jobs, renders, downloads, comments, reels, shorts, fyp, inbox, email, emails, mail, mails, sync, editor, autocomplete, completions, extension, plugin, plugins, version, versions, player, playback, streams, anything, something, correos, comentarios, comentários, commenti, kommentare, chamadas, voz, voce, sprachchat, qualcosa, quoi que ce soit, algo
grade, ボイス, ボイスチャット, vc
fare il login, fare login, fazer login
`

// lexConds open a hypothetical or generic clause: cues after them in the same clause
// do not count ("if ChatGPT goes down", "every time Claude is down"); a comma ends the
// clause ("if it's so smart, why is it down?").
const lexConds = `
to avoid, pour éviter, para evitar, um zu vermeiden, per evitare
gdyby, jeśli, jeżeli, если бы, если, eğer, kalau, kalo, jika, 만약, 없으면, 안 되면, 다운되면, 터지면, 如果, 要是, لو, إذا
how to fix, how to solve, how to resolve, how to repair, ways to fix, fix for, fixes for, guide to fixing, tutorial, tuto, comment réparer, comment résoudre, comment corriger, que faire si, que faire quand, cómo solucionar, cómo arreglar, como solucionar, como arreglar, qué hacer si, solución para, como resolver, como consertar, o que fazer quando, o que fazer se, come risolvere, come sistemare, cosa fare se, anleitung, was tun wenn, so behebst du, so löst du, lösung für, lösungen für, 対処法, 直し方, 解決方法, 解説
if, what if, even if, in case, imagine, when, whenever, every time, each time, what happens when, what would
si, au cas où, quand, chaque fois que, à chaque fois que, imaginez, imagine
cuando, cada vez que, en caso de, imagina, imagínate
wenn, falls, jedes mal wenn, sobald, stell dir vor
se, quando, toda vez que, sempre que, caso, imagina
ogni volta che, nel caso, immagina
もし, 落ちたら, 使えなくなったら, 止まったら, 落ちると, 落ちれば
don't think, do not think, doubt, i doubt, je pense pas que, je ne pense pas que, je crois pas que, je ne crois pas que, no creo que, no pienso que, não acho que, nao acho que, não creio que, non credo che, non penso che, glaube nicht, glaube nicht dass, denke nicht dass, 思わない
`

// lexMarkets place a sentence on the stock market: "caída histórica" of a share price is
// not an outage. They act like lexPasts.
const lexMarkets = `
stock, stocks, shares, share price, stock price, nasdaq, wall street, l'action, les actions, en bourse, acciones, la acción, en bolsa, la bolsa, aktie, aktien, börse, ações, na bolsa, azioni, titolo, in borsa, 株価, 株が
`

// lexOwn are the poster's own things as subjects: a complaint cue about them ("my
// router died", "se cayó mi router", "mon perso est mort") is not about a service.
const lexOwn = `
my router, my wifi, my wi-fi, my internet, my connection, my laptop, my phone, my pc, my computer, my brain, my code, my function, my character, my avatar, my streak, my modem, my tv, my vpn, my adblocker, my own code
mon routeur, ma box, mon wifi, ma connexion, ma 4g, ma fibre, mon pc, mon ordi, mon téléphone, mon tel, mon cerveau, mon perso, mon personnage, mon code
mi router, mi wifi, mi internet, mi conexión, mi pc, mi compu, mi celular, mi móvil, mi teléfono, mi cerebro, mi personaje, mi código, mi función
mein router, mein wlan, mein internet, meine verbindung, mein laptop, mein handy, mein pc, mein hirn, mein gehirn, mein charakter, mein code, meinem adblocker, meinem router, meinem wlan
meu roteador, meu wifi, minha internet, minha conexão, meu pc, meu celular, meu cérebro, meu personagem, meu código, minha streak
il mio router, il mio wifi, la mia connessione, il mio pc, il mio telefono, il mio cervello, il mio personaggio, il mio codice, il mio sito
スマホが壊れ
mijn router, mijn wifi, mijn internet, mijn laptop, mijn telefoon, mijn pc
`

// lexNoReports mark posts that report no outage whatever words they use: the poster's
// own mistake or device caused what they saw ("forgot the env var. my bad"), or the post
// is a job ad ("hiring an SRE so our AWS never goes down").
const lexNoReports = `
hiring, we're hiring, job offer, job opening, offre d'emploi, recrutement, oferta de empleo, stellenangebot, vaga de emprego, offerta di lavoro, 求人, エンジニア採用, エンジニア募集
スマホ落とし, 画面バキバキ, 画面割れ
my bad, my fault, my mistake, user error, the problem was me, it was my router, it was my wifi, it was my vpn, forgot the env var, forgot an env var
ma faute, c'était ma faute, erreur de ma part, c'était ma box
culpa mía, mi culpa, el problema era yo, error mío, era mi router
mein fehler, meine schuld, lag an mir, lag an meinem
meu erro, minha culpa, o problema era eu, era meu roteador
colpa mia, errore mio, il problema ero io
自分のミス, 俺のミス, 私のミス, 入れ忘れ
`

// lexPasts place a sentence in the past: its complaint cues do not count as current
// ("Twitter was down yesterday"). "since yesterday" is a filler, not a past.
const lexPasts = `
postmortem, post-mortem, post mortem, post-incident, post incident, post-incidente, postincidente, post-incident report, incident report, root cause analysis, rapport d'incident, weiß noch jemand, wisst ihr noch
pamiętacie, pamiętasz, помните, помнишь, hatırlıyor musunuz, 기억나, 还记得, 還記得, inget ga, inget gak, ingat waktu, تذكرون, فاكرين
damals, erinnert ihr euch, erinnerst du dich, 年前, ヶ月前, か月前, カ月前
remember when, do you remember when, tu te souviens quand, vous vous souvenez quand, te acuerdas cuando, te acordás cuando, os acordáis cuando, lembra quando, lembram quando, você lembra quando, weißt du noch, wisst ihr noch, ti ricordi quando, vi ricordate quando, 覚えてる
yesterday, last week, last month, last year, the other day, years ago, months ago, remember when, back in
hier, la semaine dernière, le mois dernier, l'an dernier, l'année dernière
ayer, la semana pasada, el mes pasado, el año pasado
gestern, letzte woche, letzten monat, letztes jahr
ontem, semana passada, mês passado, ano passado
ieri, la settimana scorsa, il mese scorso, l'anno scorso
昨日, 先週, 先月, 去年
昨天, 前天, 上周, 上週, 上个月, 上個月, 复盘, 復盤, 事后分析, 어제, 그저께, 지난주, 지난달, 작년, 포스트모템
gisteren, vorige week, вчера, на прошлой неделе, wczoraj, w zeszłym tygodniu, dün, geçen hafta, kemarin, minggu lalu, أمس, امبارح, الأسبوع الماضي
remember the, año pasado, semana pasada, mes pasado, an dernier, année dernière, semaine dernière, mois dernier, letzten woche, letzten monat, letztes jahr, letzten jahr, vergangene woche, vergangenen woche, ano passado, semana passada, mês passado, anno scorso, settimana scorsa, mese scorso
last night, last monday, last tuesday, last wednesday, last thursday, last friday, last saturday, last sunday, earlier this week, a few days ago, days ago, weeks ago
lundi dernier, mardi dernier, mercredi dernier, jeudi dernier, vendredi dernier, samedi dernier, dimanche dernier, il y a quelques jours
lunes pasado, martes pasado, miércoles pasado, jueves pasado, viernes pasado, sábado pasado, domingo pasado, hace unos días, hace días
letzten montag, letzten dienstag, letzten mittwoch, letzten donnerstag, letzten freitag, letzten samstag, letzten sonntag, vor ein paar tagen, vor einigen tagen
segunda passada, terça passada, quarta passada, quinta passada, sexta passada, sábado passado, domingo passado, uns dias atrás, há alguns dias
lunedì scorso, martedì scorso, mercoledì scorso, giovedì scorso, venerdì scorso, sabato scorso, domenica scorsa, qualche giorno fa, giorni fa
先週の, 数日前, この前
in january, in february, in march, in april, in june, in july, in august, in september, in october, in november, in december, en janvier, en février, en mars, en avril, en juin, en juillet, en août, en septembre, en octobre, en novembre, en décembre, en enero, en febrero, en marzo, en abril, en junio, en julio, en agosto, en septiembre, en octubre, en noviembre, en diciembre, im januar, im februar, im märz, im april, im juni, im juli, im august, im september, im oktober, im november, im dezember, em janeiro, em fevereiro, em março, em abril, em junho, em julho, em agosto, em setembro, em outubro, em novembro, em dezembro, a gennaio, a febbraio, a marzo, ad aprile, a giugno, a luglio, ad agosto, a settembre, ad ottobre, a novembre, a dicembre
`

// lexBlocks are idioms and compounds that contain a cue word or a service name in
// another sense; as longer matches they hide it.
const lexBlocks = `
en panne de, en panne d', down to, down the, went down the, go down the, goes down the, going down the, gone down the, down pat, failing me, fails me, failed me, slow down, slow to, fine tuning, fine tuned, fine tune, working as expected, work as expected, working as intended, not working well, doesn't work well, non funziona bene, no funciona bien, ne fonctionne pas bien, stuck in a loop, back when, back then, back office, back with, come back with, came back with, down to earth, down votes, down vote, down voted, down voting, down bad, down the line, down the road, down under, down the drain, down in history, down with the, comes down to, came down to, calm down, upside down, ups and downs, let me down, let you down, let us down, feeling down, feel down, felt down, down payment, down syndrome, count down, top down, back and forth, back in the day, get back to, step down, steps down, stepping down, stepped down, outage report, outage reports, outage template, outage postmortem, outage post mortem, outage email, outage notification, power outage, power outages, panne d'électricité, panne de courant, panne d'essence, panne sèche, panne d'inspiration, panne de voiture, caída libre, apagón, stromausfall, queda de energia, falta de luz, giù di morale, in giù, qualcosa che non va, qualcosa non va, algo que no va, caiu a ficha, caiu na real, ficha caiu, nicht gut, sehr gut, error of judgment, trial and error, fixed price, fixed income, back pain, back end, my back
claude monet, claude debussy, jean claude, marie claude, claude françois, claude lévi strauss, claude shannon, claude makélélé, claude chabrol, claude lelouch, claude van damme, claude nougaro, saint claude, claude bernard, claude rains, claude giroux
gemini season, gemini szn, gemini sun, gemini moon, gemini rising, gemini energy, as a gemini, i'm a gemini, im a gemini, am a gemini, gemini man, gemini woman, gemini men, gemini women, gemini twins
障害者, 障害物, 発達障害, 睡眠障害, 学習障害, 落ち込, 落ちこ, 落ち着, 落ちつ, 気分が落ち, 試験に落ち, 障害報告書, 障害報告
no sirve para, no sirve de, pas mal, pas de souci, pas de problème, dead internet, dead internet theory, dead to me, dead end, dead serious, dead ass, deadass, stuck with, stuck in my head, stuck on a problem, stuck on this, off topic, off the record, on and off, off and on, 落ち葉, 落ち度, 落ちこぼれ, 落ち目, bug report, bug bounty, bug fix, bug fixes, bugfix, crash course, coupe du monde, foire aux questions, mort de rire, morreu de rir, i'm dying, im dying, error prone, error-prone, why not, pourquoi pas, c'entra, c'entrano, fora de moda, open source
work the way, works the way, work that way, works that way, work like that, works like that, work like this, works like this
working as well as, work as well as, works as well as, funciona como, funcionan como, funziona come, funzionano come, fonctionne comme, marche comme, funktioniert wie
went up, go up, goes up, going up, gone up, price up, prices up
planté ma, planté mon, planté mes, broken at, is broken at, bad at, roto para, rota para, rotto in, rotta in, quebrado em, kaputt in, cassé en, crashing through, crushing, down für, down for whatever, down to play, down for a game, down for a session, morto pra mim, morto para mim, muerto para mí, mort pour moi, tot für mich, morto per me
onze teams, ons team, de teams, alle teams, 어제부터, 그저께부터, 지난주부터, 从昨天, 昨天开始, 昨天起, 從昨天, 昨天開始, 昨日から, 先週から, 面接に落ち, 選考に落ち, 受験に落ち, 審査に落ち, オーディションに落ち, 障害時, 障害発生時, 入れないように, 入れないようにする, 入れないと, 入れないで, me saca de quicio, saca de quicio, sacan de quicio, stuck on this, stuck on it, stuck on a bug, stuck on a level, stuck on the same, stuck in traffic, stuck in a loop of, fila do banco, fila no banco
fell down the stairs, fell down some stairs, tombé dans les escaliers, se cayó por las escaleras, se cayó de la escalera, caiu da escada, caiu das escadas, ist die treppe runtergefallen, caduto dalle scale, 階段から落ち
se me cayó el celu, se me cayó el celular, se me cayó el teléfono, se me cayó el móvil, se me cayó el cel, deixei cair o celular, mi è caduto il telefono
no deja de, deja de ser, não deixa de, ne cesse de, non smette di
`

// lexProblems name the Downdetector-style problem categories.
const lexProblems = `
login | login, log in, logging in, sign in, signin, logged out, auth, authentication, 2fa, password, connexion, se connecter, me connecter, iniciar sesión, inicio de sesión, anmelden, anmeldung, einloggen, logar, entrar, accedere, accesso, ログイン
slow | lag, latency, loading forever, lenteur, lentitud, verzögerung, lentidão, lentezza
app | app, apps, application, appli, aplicación, aplicativo, applicazione, ios, android, iphone, mobile app, desktop app, アプリ
api | api, apis, endpoint, endpoints, sdk, playground
website | website, site, web, webpage, page, browser, web app, site web, sitio, página, sitio web, seite, webseite, sito, サイト
network | network, connection, connectivity, connect, connecting, réseau, rede, rete, verbindung, conexión, conexão, connessione, dns, 接続, 通信
`

// lexNotService suppresses a service when the post talks about its homonym: a word
// from the list anywhere in the post means the name is not the service ("Gemini" in a
// horoscope). Lines are "service-id | words"; ids missing from the catalog are ignored.
const lexNotService = `
gemini | zodiac, zodiaque, zodiaco, zodíaco, signo, signe, horoscope, horóscopo, horoskop, oroscopo, astrology, astrologie, astrología, astrologia, sternzeichen, 星座, 双子座
claude | monet, debussy, impressionist, impressionniste, impressionista, impressionismus, モネ
mistral | vent, wind, viento, vento, souffle, soffia, sopla, tramontane, météo
`

// lexArticles may stand between a cue and a subject that follows it ("se cayó el
// ChatGPT", "voltou o ChatGPT"); other fillers may not, so "down for a Discord game
// night" does not read as Discord being down.
const lexArticles = `
the, an, el, la, los, las, le, les, lo, il, gli, os, as, der, die, das, den, dem, un, une, um, uma, al, del, no, na, do, da
`

// lexPlatformPreps before a weak name written with a capital mark it as a platform:
// "not working on X", "posté sur X".
var lexPlatformPreps = []string{"on", "sur", "auf", "su", "en", "no", "na"}

// lexNamings introduce a person's or pet's name: the service name right after them is
// a homonym ("mon frère s'appelle Claude").
const lexNamings = `
named, called, s'appelle, je m'appelle, se llama, me llamo, si chiama, mi chiamo, heißt, ich heiße, se chama, me chamo, chama-se
`

// lexAgains turn a "works" phrase right before them into a recovery ("funcionando
// normal de novo", "works fine again").
const lexAgains = `
again, once again, à nouveau, de nouveau, de nuevo, otra vez, wieder, di nuovo, de novo, novamente
`

// lexPercents mark a number as a share ("caiu 4%", "down 3 percent"): a complaint cue
// followed by one describes a market move, not an outage.
const lexPercents = `
percent, per cent, pct, pour cent, por ciento, prozent, per cento, por cento
`

// lexAlsoAfter follow, and lexAlsoBefore precede, a service that shares the complaint
// made about another ("Claude no funciona y Gemini tampoco", "GitHub down, so is npm").
const lexAlsoAfter = `
too, as well, also, aussi, non plus, également, también, tampoco, auch, ebenfalls, anche, neanche, nemmeno, pure, também, tampouco
`

const lexAlsoBefore = `
so is, so are, so does, same with, same for, same here with, pareil pour, idem pour, lo mismo con, igual que, gleiches gilt für, genauso wie, stesso per, lo stesso per, o mesmo com, mesma coisa com
`
