package detect

// Morphology of availability: instead of listing every negated phrase ("no me carga",
// "non si carica più", "lädt seit einer Stunde nicht"), the matcher composes a complaint
// from a negator and an availability verb found near each other in the same clause, in
// the same language. The tables below list the parts; matcher_compose.go holds the
// rules. Every line starts with its language codes (en fr es de pt it) and optional
// flags, then "|", then the words:
//
//	deny     (negators) a quantifier: before a complaint word it denies the outage
//	         ("kein Ausfall", "sin caídas", "not down"); it negates no verb unless the
//	         same word is listed again without the flag ("not")
//	m        (negators) a modal ("can't", "no puedo"): the speaker may be its subject
//	         ("I can't log in"); other negators after "I", "we", "might"... are not
//	         about a service ("I don't work in music", "it might not work")
//	x        (verbs) an auxiliary ("va", "geht"): not when an unknown word follows it
//	         or its negation in the clause ("no va a reemplazar", "es geht nicht um
//	         ChatGPT", "non si va da nessuna parte")
//	t        (verbs) often transitive ("open", "respond"): not when an unknown word
//	         follows it in the clause ("isn't open source", "doesn't respond correctly")
//	x        (post-verbal negators) must be followed by a known word or a break:
//	         "marche pas chez moi", not "marche plus vite" or "marche pas mal"
//	p        (verbs, post-verbal negators) a German separable verb of failure and its
//	         particle: they pair only with each other ("bricht immer wieder ab",
//	         "stürzt ständig ab"; never "bricht Rekorde")
//	far      (post-verbal negators) German verb-second order: up to four unknown words
//	         may stand between the verb and the negation ("lädt seit einer Stunde
//	         keine Stories"), and the subject may too ("geht ChatGPT bei euch nicht")

// lexNegators come before the verb they negate ("no me funciona", "can't even load",
// "non si carica", "impossible de charger", "não tá carregando").
const lexNegators = `
en deny | not, never, no longer
en | not, never, no longer, won't, wouldn't, doesn't, does not, don't, do not, isn't, aren't, ain't, won't even, doesn't even
en | refusing to, refused to, refuses to, stopped, stops, has stopped, keeps stopping
en m | can't, cannot, can not, couldn't, unable to, fails to, failed to, can't even
fr | ne, n', ne se, ne s', ne me, refuse de, a arrêté de, arrête de, a cessé de, cesse de, veut pas, veut plus, ne veut pas, ne veut plus, voulait pas
fr m | n'arrive pas à, n'arrive plus à, arrive pas à, arrive plus à, j'arrive pas à, j'arrive plus à, impossible de, impossible d', pas moyen de, plus moyen de, je peux pas, je peux plus, peux pas, peux plus, je ne peux pas, je ne peux plus, on ne peut pas, on ne peut plus, on peut pas, on peut plus
fr deny | aucun, aucune, pas de, pas d'
es | no, ya no, todavía no, aún no, no se, no me, no nos, nunca, ni, no quiere, ya no quiere, no le, dejó de, deja de, ha dejado de
es m | no puedo, no pude, no podemos, no se puede, no consigo, no logro, imposible
es deny | no, sin, ningún, ninguna, ningun
pt | não, nao, n, nem, num, já não, ainda não, não se, não me, nao me, não quer, nao quer, não tá querendo, parou de, para de
pt m | não consigo, nao consigo, não dá pra, não da pra, nao da pra, não dá para, não tem como, impossível
pt deny | não, nao, sem, nenhum, nenhuma
it | non, non si, non mi, non ci, ancora non, non vuole, non vuole più, non ne vuole, non mi fa, non mi lascia, ha smesso di, smette di, smesso di
it m | non riesco a, non riesco ad, non riesco più a, non riesco più ad, non posso, impossibile
it deny | non, senza, nessun, nessuna, nessuno
de deny | kein, keine, keinen, keinerlei
de | aufgehört zu, hört auf zu
`

// lexSubjects are the speaker and other persons as subjects: a cue after them is
// about what they do ("it answers me with I cannot access browsing"), so the search
// for the cue's subject stops there.
const lexSubjects = `
i, we, je, j', nous, yo, nosotros, ich, wir, eu, nós, io, noi
`

// lexNegPads may stand between a negator and its verb: clitics, "even", "yet", the
// Portuguese progressive ("não tá carregando", "não está a funcionar").
const lexNegPads = `
even, really, ever, actually, always, yet, me, it, to, nothing, anything
rien, nada, niente, nichts
me, se, nous, vous, le, la, les, en, lui, plus, même, toujours, jamais
me, se, nos, le, lo, la, les, te, siquiera, ya, nunca
me, se, te, nos, tá, ta, está, esta, estão, tão, mais, nem, sequer
mi, si, ci, ti, vi, lo, la, le, gli, più, ancora, proprio, neanche, nemmeno
`

// lexVerbs are the availability verbs, inflected. A verb negated by a negator of its
// language, before it or (German, French) after it, is a complaint; followed by
// "again" ("carga de nuevo", "lädt wieder") it is a recovery.
const lexVerbs = `
en | work, works, working, load, loads, loading, load up, connect, connects, connecting, sync, syncs, syncing, refresh, refreshes, refreshing, launch, launches, launching, boot, boots, booting, boot up, stream, streams, streaming, log in, login, log on, sign in, signin, log into, sign into
en t | upload, uploads, uploading, receive, receiving, update, updates, updating, start, starts, starting, start up, play, plays, playing, open, opens, opening, open up, respond, responds, responding, reply, replies, replying, send, sends, sending
fr | ça marche, ca marche, ça fonctionne, marche, marchent, marcher, fonctionne, fonctionnent, fonctionner, charge, chargent, charger, se charge, se chargent, ouvre, ouvrent, ouvrir, s'ouvre, s'ouvrent, s'ouvrir, lance, lancent, lancer, se lance, relancer, connecte, connecter, se connecte, se connecter, me connecter, part, partent, partir, passent, envoie, envoient, envoyer, s'envoie, s'affiche, s'affichent, affiche, afficher, lit, lisent, renvoie, renvoient, renvoyer, reçoit, reçois, reçoivent, recevoir, tourne, tournent, démarre, démarrent, démarrer, accéder, jouer, lire, actualiser, rafraîchir, synchronise, synchroniser
fr t | répond, répondent, répondre, actualise, se met à jour
fr x | va, vont
es | funciona, funcionan, funcionar, funcionando, jala, jalan, jalar, jalando, carga, cargan, cargar, cargando, abre, abren, abrir, anda, andan, sirve, sirven, conecta, conectan, conectar, conectarme, conecto, entrar, envía, envían, enviar, manda, mandan, mandar, reproduce, reproducen, reproducir, arranca, arrancan, inicia, iniciar, acceder, sube, suben, subir, usar, sincroniza, sincronizan, sincronizar, devuelve, recibe, recibo, recibir, entran, baja, bajan, bajar, descarga, descargan, descargar
es t | actualiza, actualizan, actualizar, responde, responden, responder, respondiendo, contesta, contestan, contestar
es x | va, van
pt | baixa, baixam, baixar, funciona, funcionam, funcionar, funcionando, funcionou, carrega, carregam, carregar, carregando, carregou, abre, abrem, abrir, abrindo, abriu, conecta, conectam, conectar, conectando, conectou, envia, enviam, enviar, enviando, enviou, manda, mandam, mandar, mandando, toca, tocam, tocar, tocando, roda, rodam, rodar, rodando, entrar, acessar, acessa, logar, loga, sobe, sobem, subir, anda, andando, chegam, pega, pegando, usar, sincroniza, sincronizar, sincronizando, retorna, recebe, recebendo, receber, recebo
pt t | atualiza, atualizam, atualizar, atualizando, responde, respondem, responder, respondendo, respondeu
it | scarica, scaricano, scaricare, funziona, funzionano, funzionare, carica, caricano, caricare, si carica, si caricano, apre, aprono, aprire, si apre, si aprono, parte, partono, partire, invia, inviano, inviare, manda, mandano, mandare, riproduce, riproducono, riprodurre, sincronizza, restituisce, riceve, ricevo, ricevere, connette, si connette, connettersi, collega, si collega, collegarsi, collegarmi, accedere, entrare, gira, girano, arrivano
it t | aggiorna, si aggiorna, aggiornano, si aggiornano, risponde, rispondono, rispondere
it x | va, vanno
de x | geht, gehen
de p | bricht, brechen, stürzt, stürzen, schmiert, schmieren, kackt, kacken, schmiert mir, kackt mir
de | synchronisiert, synchronisieren, buffert, empfängt, empfange, funktioniert, funktionieren, funzt, läuft, laufen, lädt, laden, klappt, klappen, reagiert, reagieren, antwortet, antworten, startet, starten, öffnet, öffnen, öffnet sich, verbindet, verbinden, verbindet sich, sendet, senden, lädt hoch
`

// lexNegsPost negate the verb before them: French "marche pas", German "lädt nicht".
const lexNegsPost = `
de far p | ab
de far | niemandem, bei niemandem, niemand, nicht, nicht mehr, gar nicht, überhaupt nicht, nix, nix mehr, nichts, nichts mehr, net, ned, nimmer, kaum, keine, kein, keinen, mehr nicht
fr x | pas, plus, pô, po, point, jamais, toujours pas, pas du tout
fr | rien, plus rien
`

// lexErrNouns name an error; after a frame word (lexErrFrames: "getting", "me sale",
// "kommt nur", "dá", "solo") within the clause they are a complaint of their own
// ("me sale un error", "kommt nur noch eine Fehlermeldung"); right after a service
// they are a weak one ("ChatGPT error?"); followed by a code they are a symptom
// ("error 1015").
const lexErrNouns = `
error, errors, erreur, erreurs, errores, fehler, fehlermeldung, fehlermeldungen, erro, erros, errore, errori
`

const lexErrFrames = `
get, gets, getting, got, keep getting, keeps getting, shows, showing, throws, throwing, returns, returning, gives, giving, gave, keeps giving, spits out, spitting out, only, just, nothing but
j'ai, j'ai eu, me met, me mets, me sort, affiche, m'affiche, renvoie, me renvoie, que des, juste des, toujours des, encore des
me sale, sale, salta, me salta, aparece, me aparece, aparecen, me da, me tira, tira, puro, pura, solo, solamente, nada más que, puros
kommt, kommen, kommt nur, kommt immer, bekomme, kriege, krieg, zeigt, zeigt mir, gibt, gibt nur, nur, nur noch
dá, da, deu, dando, aparece, aparecer, aparecendo, mostra, só dá, fica dando, continua, continua dando, segue dando
compaiono, esce, mi esce, escono, mi dà, dà, da, mi da, ricevo, solo, soltanto, dare, continua a dare, dando
`
