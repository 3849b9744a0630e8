<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>ApiClient</name>
    <message>
        <source>No certificate could be read from %1</source>
        <translation>Aucun certificat n’a pu être lu dans %1</translation>
    </message>
    <message>
        <source>HTTP status %1</source>
        <translation>Statut HTTP %1</translation>
    </message>
</context>
<context>
    <name>ChannelStatus</name>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Discussion</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Métriques</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Déconnecté</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Dégradé</translation>
    </message>
</context>
<context>
    <name>IncidentMarkdown</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Incident</translation>
    </message>
    <message>
        <source>No events were recorded.</source>
        <translation>Aucun événement n’a été enregistré.</translation>
    </message>
    <message>
        <source>Start: %1 %2</source>
        <translation>Début : %1 %2</translation>
    </message>
    <message>
        <source>End: %1 %2</source>
        <translation>Fin : %1 %2</translation>
    </message>
    <message>
        <source>Duration: %1</source>
        <translation>Durée : %1</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Chronologie</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Checklists</source>
        <translation>Listes de contrôle</translation>
    </message>
    <message>
        <source>Started %1, finished %2; %3 of %4 steps done, %5 skipped.</source>
        <translation>Commencée à %1, terminée à %2 ; %3 étapes sur %4 effectuées, %5 sautées.</translation>
    </message>
    <message>
        <source>Started %1, not finished; %2 of %3 steps done, %4 skipped.</source>
        <translation>Commencée à %1, non terminée ; %2 étapes sur %3 effectuées, %4 sautées.</translation>
    </message>
    <message>
        <source>%1 (done %2)</source>
        <translation>%1 (effectuée à %2)</translation>
    </message>
    <message>
        <source>~~%1~~ (skipped %2)</source>
        <translation>~~%1~~ (sautée à %2)</translation>
    </message>
    <message>
        <source>~~%1~~ (skipped %2: %3)</source>
        <translation>~~%1~~ (sautée à %2 : %3)</translation>
    </message>
</context>
<context>
    <name>OncallAlertRules</name>
    <message>
        <source>expected NAME EXPRESSION for DURATION severity SEVERITY runbook RUNBOOK</source>
        <translation>attendu : NOM EXPRESSION for DURÉE severity GRAVITÉ runbook PROCÉDURE</translation>
    </message>
    <message>
        <source>invalid alert name &quot;%1&quot;</source>
        <translation>nom d’alerte invalide « %1 »</translation>
    </message>
    <message>
        <source>invalid expression &quot;%1&quot;</source>
        <translation>expression invalide « %1 »</translation>
    </message>
    <message>
        <source>invalid window &quot;%1&quot;</source>
        <translation>fenêtre invalide « %1 »</translation>
    </message>
    <message>
        <source>unknown figure &quot;%1&quot;</source>
        <translation>indicateur inconnu « %1 »</translation>
    </message>
    <message>
        <source>invalid threshold &quot;%1&quot;</source>
        <translation>seuil invalide « %1 »</translation>
    </message>
    <message>
        <source>invalid duration &quot;%1&quot;</source>
        <translation>durée invalide « %1 »</translation>
    </message>
    <message>
        <source>unknown severity &quot;%1&quot; (critical, warning or info)</source>
        <translation>gravité inconnue « %1 » (critical, warning ou info)</translation>
    </message>
    <message>
        <source>invalid runbook id &quot;%1&quot;</source>
        <translation>identifiant de procédure invalide « %1 »</translation>
    </message>
    <message>
        <source>%1 is already defined on line %2</source>
        <translation>%1 est déjà défini à la ligne %2</translation>
    </message>
</context>
<context>
    <name>OncallAlerts</name>
    <message>
        <source>critical</source>
        <translation>critique</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>avertissement</translation>
    </message>
    <message>
        <source>info</source>
        <translation>info</translation>
    </message>
</context>
<context>
    <name>OncallFigures</name>
    <message>
        <source>Server alive</source>
        <translation>Serveur en vie</translation>
    </message>
    <message>
        <source>Server ready</source>
        <translation>Serveur prêt</translation>
    </message>
    <message>
        <source>WebSocket connections</source>
        <translation>Connexions WebSocket</translation>
    </message>
    <message>
        <source>Active users</source>
        <translation>Utilisateurs actifs</translation>
    </message>
    <message>
        <source>Chat messages</source>
        <translation>Messages de discussion</translation>
    </message>
    <message>
        <source>HTTP latency P99</source>
        <translation>Latence HTTP P99</translation>
    </message>
    <message>
        <source>Message latency P99</source>
        <translation>Latence des messages P99</translation>
    </message>
    <message>
        <source>HTTP errors (5xx)</source>
        <translation>Erreurs HTTP (5xx)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <source>Live streams</source>
        <translation>Flux en direct</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>Auditeurs</translation>
    </message>
    <message>
        <source>Degraded stream quality</source>
        <translation>Qualité de flux dégradée</translation>
    </message>
    <message>
        <source>Database query P99</source>
        <translation>Requêtes de base de données P99</translation>
    </message>
    <message>
        <source>Message delivery success</source>
        <translation>Remise des messages réussie</translation>
    </message>
    <message>
        <source>Slow consumer disconnects</source>
        <translation>Déconnexions de clients lents</translation>
    </message>
    <message>
        <source>Open files</source>
        <translation>Fichiers ouverts</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1/min</source>
        <translation>%1/min</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>passing</source>
        <translation>réussi</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>en échec</translation>
    </message>
    <message>
        <source>&lt; %1</source>
        <translation>&lt; %1</translation>
    </message>
    <message>
        <source>&gt; %1</source>
        <translation>&gt; %1</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>avertissement</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>critique</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
</context>
<context>
    <name>OncallSource</name>
    <message>
        <source>connected</source>
        <translation>connecté</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>dégradé</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>injoignable</translation>
    </message>
    <message>
        <source>waiting for the first sample</source>
        <translation>en attente du premier échantillon</translation>
    </message>
</context>
<context>
    <name>RunbookFieldReader</name>
    <message>
        <source>unknown field, ignored (known: %1)</source>
        <translation>champ inconnu, ignoré (connus : %1)</translation>
    </message>
    <message>
        <source>missing field &quot;%1&quot;</source>
        <translation>champ « %1 » manquant</translation>
    </message>
    <message>
        <source>must be %1</source>
        <translation>doit être %1</translation>
    </message>
    <message>
        <source>must be a string</source>
        <translation>doit être une chaîne</translation>
    </message>
    <message>
        <source>no English text (&quot;en&quot;), which every language falls back to</source>
        <translation>aucun texte anglais (« en »), sur lequel toutes les langues se rabattent</translation>
    </message>
    <message>
        <source>must be a string or an object of translations such as {&quot;en&quot;: &quot;...&quot;, &quot;fr&quot;: &quot;...&quot;}</source>
        <translation>doit être une chaîne ou un objet de traductions comme {&quot;en&quot;: &quot;...&quot;, &quot;fr&quot;: &quot;...&quot;}</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>ne doit pas être vide</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an id: use lower-case letters, digits and &apos;-&apos;, starting with a letter or digit</source>
        <translation>« %1 » n’est pas un identifiant : utilisez des lettres minuscules, des chiffres et « - », en commençant par une lettre ou un chiffre</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>une chaîne</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>un tableau</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>un objet</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>un nombre</translation>
    </message>
    <message>
        <source>another type</source>
        <translation>un autre type</translation>
    </message>
</context>
<context>
    <name>RunbookLoader</name>
    <message>
        <source>cannot read the file: %1</source>
        <translation>impossible de lire le fichier : %1</translation>
    </message>
    <message>
        <source>id: &quot;%1&quot; is already the id of %2 in the same folder</source>
        <translation>id : « %1 » est déjà l’identifiant de %2 dans le même dossier</translation>
    </message>
</context>
<context>
    <name>RunbookParser</name>
    <message>
        <source>a placeholder must be an object</source>
        <translation>une variable doit être un objet</translation>
    </message>
    <message>
        <source>placeholder name &quot;%1&quot; must be a lower-case letter then letters, digits or &apos;_&apos;</source>
        <translation>le nom de variable « %1 » doit commencer par une lettre minuscule suivie de lettres, de chiffres ou de « _ »</translation>
    </message>
    <message>
        <source>placeholder &quot;%1&quot; is declared twice</source>
        <translation>la variable « %1 » est déclarée deux fois</translation>
    </message>
    <message>
        <source>a command must be an object with &quot;label&quot; and &quot;command&quot;</source>
        <translation>une commande doit être un objet avec « label » et « command »</translation>
    </message>
    <message>
        <source>unknown command kind &quot;%1&quot; (known: shell, promql)</source>
        <translation>type de commande inconnu « %1 » (connus : shell, promql)</translation>
    </message>
    <message>
        <source>placeholder {%1} is not declared in &quot;placeholders&quot;</source>
        <translation>la variable {%1} n’est pas déclarée dans « placeholders »</translation>
    </message>
    <message>
        <source>must hold at least one step</source>
        <translation>doit contenir au moins une étape</translation>
    </message>
    <message>
        <source>a step must be an object</source>
        <translation>une étape doit être un objet</translation>
    </message>
    <message>
        <source>duplicate step id &quot;%1&quot; (first at line %2)</source>
        <translation>identifiant d’étape « %1 » en double (première occurrence à la ligne %2)</translation>
    </message>
    <message>
        <source>unknown figure key &quot;%1&quot; (known: %2)</source>
        <translation>clé d’indicateur inconnue « %1 » (connues : %2)</translation>
    </message>
    <message>
        <source>placeholder &quot;%1&quot; is declared but no command uses it</source>
        <translation>la variable « %1 » est déclarée mais aucune commande ne l’utilise</translation>
    </message>
    <message>
        <source>an alert name must be a string</source>
        <translation>un nom d’alerte doit être une chaîne</translation>
    </message>
    <message>
        <source>unknown alert name &quot;%1&quot; (known: %2)</source>
        <translation>nom d’alerte inconnu « %1 » (connus : %2)</translation>
    </message>
    <message>
        <source>not valid JSON: %1</source>
        <translation>JSON invalide : %1</translation>
    </message>
    <message>
        <source>a runbook file must hold one JSON object</source>
        <translation>un fichier de procédure doit contenir un seul objet JSON</translation>
    </message>
    <message>
        <source>%1 is not a schema this console reads (it reads %2)</source>
        <translation>%1 n’est pas un schéma lu par cette console (elle lit %2)</translation>
    </message>
    <message>
        <source>unknown severity &quot;%1&quot; (known: %2)</source>
        <translation>gravité inconnue « %1 » (connues : %2)</translation>
    </message>
</context>
<context>
    <name>RunbookProblem</name>
    <message>
        <source>error</source>
        <translation>erreur</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>avertissement</translation>
    </message>
</context>
<context>
    <name>ServerProfile</name>
    <message>
        <source>Enter the server&apos;s address, for example http://127.0.0.1:8080</source>
        <translation>Saisissez l’adresse du serveur, par exemple http://127.0.0.1:8080</translation>
    </message>
    <message>
        <source>The server&apos;s address starts with http:// or https://</source>
        <translation>L’adresse du serveur commence par http:// ou https://</translation>
    </message>
    <message>
        <source>An overriding address is not a valid URL: %1</source>
        <translation>Une adresse de remplacement n’est pas une URL valide : %1</translation>
    </message>
    <message>
        <source>The WebSocket address starts with ws:// or wss://</source>
        <translation>L’adresse WebSocket commence par ws:// ou wss://</translation>
    </message>
</context>
<context>
    <name>TimelineEvent</name>
    <message>
        <source>Alert fired</source>
        <translation>Alerte déclenchée</translation>
    </message>
    <message>
        <source>Alert resolved</source>
        <translation>Alerte résolue</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Checklist started</source>
        <translation>Liste de contrôle commencée</translation>
    </message>
    <message>
        <source>Step done</source>
        <translation>Étape effectuée</translation>
    </message>
    <message>
        <source>Step skipped</source>
        <translation>Étape sautée</translation>
    </message>
    <message>
        <source>Step reopened</source>
        <translation>Étape rouverte</translation>
    </message>
    <message>
        <source>Checklist finished</source>
        <translation>Liste de contrôle terminée</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
</context>
<context>
    <name>veza::console::AudioDecoder</name>
    <message>
        <source>no audio the console can decode</source>
        <translation>aucun son que la console sache décoder</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2 Hz, %n channel(s)</source>
        <translation>
            <numerusform>%1, %2 Hz, %n canal</numerusform>
            <numerusform>%1, %2 Hz, %n canaux</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot convert %1 Hz audio</source>
        <translation>impossible de convertir un son à %1 Hz</translation>
    </message>
</context>
<context>
    <name>veza::console::AuditLogView</name>
    <message>
        <source>Moderator</source>
        <translation>Modérateur</translation>
    </message>
    <message>
        <source>Action (ban, delete...)</source>
        <translation>Action (ban, delete...)</translation>
    </message>
    <message>
        <source>Target user</source>
        <translation>Utilisateur visé</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Salon</translation>
    </message>
</context>
<context>
    <name>veza::console::ChatChannel</name>
    <message>
        <source>disconnected</source>
        <translation>déconnecté</translation>
    </message>
    <message>
        <source>the chat is not connected</source>
        <translation>la discussion n’est pas connectée</translation>
    </message>
</context>
<context>
    <name>veza::console::ConnectDialog</name>
    <message>
        <source>Connect to a Veza server</source>
        <translation>Se connecter à un serveur Veza</translation>
    </message>
    <message>
        <source>Paste a moderator&apos;s or an admin&apos;s access token</source>
        <translation>Collez le jeton d’accès d’un modérateur ou d’un administrateur</translation>
    </message>
    <message>
        <source>From a file...</source>
        <translation>Depuis un fichier...</translation>
    </message>
    <message>
        <source>Remember the token in the system keychain</source>
        <translation>Retenir le jeton dans le trousseau du système</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Avancé</translation>
    </message>
    <message>
        <source>Derived: the server&apos;s host, its port + 1</source>
        <translation>Déduite : l’hôte du serveur, son port + 1</translation>
    </message>
    <message>
        <source>Derived: the server&apos;s host, port 9090</source>
        <translation>Déduite : l’hôte du serveur, port 9090</translation>
    </message>
    <message>
        <source>PEM file trusted besides the system&apos;s certificates</source>
        <translation>Fichier PEM approuvé en plus des certificats du système</translation>
    </message>
    <message>
        <source>Optional: figures of the whole deployment</source>
        <translation>Facultatif : les chiffres de tout le déploiement</translation>
    </message>
    <message>
        <source>WebSocket address:</source>
        <translation>Adresse WebSocket :</translation>
    </message>
    <message>
        <source>Metrics address:</source>
        <translation>Adresse des métriques :</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>Fichier d’AC :</translation>
    </message>
    <message>
        <source>Prometheus:</source>
        <translation>Prometheus :</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Serveur :</translation>
    </message>
    <message>
        <source>Access token:</source>
        <translation>Jeton d’accès :</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Read the access token from</source>
        <translation>Lire le jeton d’accès depuis</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>An access token is needed: `veza-server token --user NAME --roles moderator` makes one for a development server</source>
        <translation>Un jeton d’accès est nécessaire : `veza-server token --user NOM --roles moderator` en crée un pour un serveur de développement</translation>
    </message>
</context>
<context>
    <name>veza::console::ConnectionIndicators</name>
    <message>
        <source>%1: %2</source>
        <extracomment>A channel and its state in the status bar: &quot;Monitor: Connected&quot;</extracomment>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>veza::console::ConsoleSession</name>
    <message>
        <source>token refused: %1</source>
        <translation>jeton refusé : %1</translation>
    </message>
    <message>
        <source>server unreachable: %1</source>
        <translation>serveur injoignable : %1</translation>
    </message>
    <message>
        <source>this token is not a moderator&apos;s or an admin&apos;s: %1</source>
        <translation>ce jeton n’est ni celui d’un modérateur ni celui d’un administrateur : %1</translation>
    </message>
    <message>
        <source>not ready: %1</source>
        <translation>pas prêt : %1</translation>
    </message>
</context>
<context>
    <name>veza::console::LevelMeter</name>
    <message>
        <source>%1 dBFS</source>
        <translation>%1 dBFS</translation>
    </message>
</context>
<context>
    <name>veza::console::ListenIn</name>
    <message>
        <source>Connecting...</source>
        <translation>Connexion...</translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>Pas d’écoute</translation>
    </message>
    <message>
        <source>the stream ended</source>
        <translation>le flux est terminé</translation>
    </message>
    <message>
        <source>Cannot play: %1</source>
        <translation>Lecture impossible : %1</translation>
    </message>
    <message>
        <source>Buffering %1 (%2): %3 s</source>
        <translation>Mise en mémoire de %1 (%2) : %3 s</translation>
    </message>
    <message>
        <source>Playing %1 (%2): buffer %3 s, %4 s behind live</source>
        <translation>Lecture de %1 (%2) : tampon %3 s, %4 s derrière le direct</translation>
    </message>
</context>
<context>
    <name>veza::console::MainWindow</name>
    <message>
        <source>Veza Console</source>
        <translation>Console Veza</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Flux</translation>
    </message>
    <message>
        <source>Action failed</source>
        <translation>Échec de l’action</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Non connecté : %1</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Connecté à %1</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Serveur</translation>
    </message>
    <message>
        <source>&amp;Connect...</source>
        <translation>Se &amp;connecter...</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Déconnecté</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>À &amp;propos</translation>
    </message>
    <message>
        <source>About Veza Console</source>
        <translation>À propos de la console Veza</translation>
    </message>
    <message>
        <source>Veza Console %1: live streams, moderation and on-call for veza-server.</source>
        <translation>Console Veza %1 : flux en direct, modération et astreinte pour veza-server.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>The token is kept for this session only: no system keychain (%1)</source>
        <translation>Le jeton n’est gardé que pour cette session : pas de trousseau système (%1)</translation>
    </message>
    <message>
        <source>&amp;Streams</source>
        <translation>&amp;Flux</translation>
    </message>
    <message>
        <source>&amp;Rooms</source>
        <translation>&amp;Salons</translation>
    </message>
    <message>
        <source>Review &amp;queue</source>
        <translation>File de &amp;modération</translation>
    </message>
    <message>
        <source>&amp;Audit log</source>
        <translation>&amp;Journal de modération</translation>
    </message>
    <message>
        <source>Review &amp;queue (%1)</source>
        <translation>File de &amp;modération (%1)</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>&amp;Utilisateurs</translation>
    </message>
    <message>
        <source>&amp;On-call</source>
        <translation>&amp;Astreinte</translation>
    </message>
    <message>
        <source>Run&amp;books</source>
        <translation>&amp;Procédures</translation>
    </message>
    <message>
        <source>Alert %1 (%2): %3</source>
        <translation>Alerte %1 (%2) : %3</translation>
    </message>
    <message>
        <source>Alert %1</source>
        <translation>Alerte %1</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>The system&apos;s</source>
        <translation>Celle du système</translation>
    </message>
    <message>
        <source>Language: %1</source>
        <translation>Langue : %1</translation>
    </message>
</context>
<context>
    <name>veza::console::ModerationDesk</name>
    <message>
        <source>Room</source>
        <translation>Salon</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>private</source>
        <translation>privé</translation>
    </message>
    <message>
        <source>public</source>
        <translation>public</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Propriétaire</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Membres</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <source>Messages (1 h)</source>
        <translation>Messages (1 h)</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Dernière activité</translation>
    </message>
    <message>
        <source>Open reports</source>
        <translation>Signalements ouverts</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Règles</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>verrouillé</translation>
    </message>
    <message>
        <source>slow mode %1 s</source>
        <translation>mode lent %1 s</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>Signalé</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>Signalé par</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Moderator</source>
        <translation>Modérateur</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>%1 on %2 in %3</source>
        <translation>%1 sur %2 dans %3</translation>
    </message>
    <message>
        <source>Report %1 resolved: %2</source>
        <translation>Signalement %1 traité : %2</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Signalements</translation>
    </message>
</context>
<context>
    <name>veza::console::MonitorChannel</name>
    <message numerus="yes">
        <source>%n event(s) lost: the console fell behind</source>
        <translation>
            <numerusform>%n événement perdu : la console a pris du retard</numerusform>
            <numerusform>%n événements perdus : la console a pris du retard</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>veza::console::OncallDesk</name>
    <message>
        <source>On-call session</source>
        <translation>Session d’astreinte</translation>
    </message>
</context>
<context>
    <name>veza::console::OncallView</name>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>Alerts firing (double click: the runbook):</source>
        <translation>Alertes déclenchées (double clic : la procédure) :</translation>
    </message>
    <message>
        <source>Figures of the whole deployment, from Prometheus: %1</source>
        <translation>Indicateurs de tout le déploiement, depuis Prometheus : %1</translation>
    </message>
    <message>
        <source>Figures of this server, from its /metrics: %1</source>
        <translation>Indicateurs de ce serveur, depuis son /metrics : %1</translation>
    </message>
</context>
<context>
    <name>veza::console::ReasonDialog</name>
    <message>
        <source>Reason, kept in the audit log</source>
        <translation>Motif, conservé dans le journal de modération</translation>
    </message>
</context>
<context>
    <name>veza::console::ReconnectingSocket</name>
    <message>
        <source>authenticating</source>
        <translation>authentification</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>reconnexion</translation>
    </message>
    <message>
        <source>token refused (%1): paste a new one</source>
        <translation>jeton refusé (%1) : collez-en un nouveau</translation>
    </message>
    <message>
        <source>forbidden (%1)</source>
        <translation>interdit (%1)</translation>
    </message>
    <message>
        <source>%1; retrying in %2 s</source>
        <translation>%1 ; nouvel essai dans %2 s</translation>
    </message>
</context>
<context>
    <name>veza::console::ReviewQueueView</name>
    <message>
        <source>Select a report to see its message in context.</source>
        <translation>Sélectionnez un signalement pour voir son message en contexte.</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Classer</translation>
    </message>
    <message>
        <source>Dismiss the report: the message stays.</source>
        <translation>Classer le signalement : le message reste.</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Supprimer le message</translation>
    </message>
    <message>
        <source>Delete the reported message?</source>
        <translation>Supprimer le message signalé ?</translation>
    </message>
    <message>
        <source>Timeout 1 h</source>
        <translation>Exclure 1 h</translation>
    </message>
    <message>
        <source>Time the author out of the room for an hour?</source>
        <translation>Exclure l’auteur du salon pendant une heure ?</translation>
    </message>
    <message>
        <source>Ban</source>
        <translation>Bannir</translation>
    </message>
    <message>
        <source>Ban the author from the room?</source>
        <translation>Bannir l’auteur du salon ?</translation>
    </message>
    <message>
        <source>Report %1: %2</source>
        <translation>Signalement %1 : %2</translation>
    </message>
    <message>
        <source>Report %1 not resolved: %2</source>
        <translation>Signalement %1 non traité : %2</translation>
    </message>
    <message>
        <source>Loading...</source>
        <translation>Chargement...</translation>
    </message>
    <message>
        <source>Most reported first</source>
        <translation>Les plus signalés d’abord</translation>
    </message>
</context>
<context>
    <name>veza::console::RoomFeed</name>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(supprimé)</translation>
    </message>
    <message>
        <source>Reactions</source>
        <translation>Réactions</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>supprimé</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>modifié</translation>
    </message>
</context>
<context>
    <name>veza::console::RoomsView</name>
    <message>
        <source>Filter rooms</source>
        <translation>Filtrer les salons</translation>
    </message>
    <message>
        <source>No room selected</source>
        <translation>Aucun salon sélectionné</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete the selected message?</source>
        <translation>Supprimer le message sélectionné ?</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 minutes</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 heure</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 heures</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 jours</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Exclure</translation>
    </message>
    <message>
        <source>Time the author out for %1?</source>
        <translation>Exclure l’auteur pendant %1 ?</translation>
    </message>
    <message>
        <source>Ban</source>
        <translation>Bannir</translation>
    </message>
    <message>
        <source>Ban the author from this room?</source>
        <translation>Bannir l’auteur de ce salon ?</translation>
    </message>
    <message>
        <source>Purge</source>
        <translation>Purger</translation>
    </message>
    <message>
        <source>Delete the author&apos;s messages of the last 10 minutes?</source>
        <translation>Supprimer les messages de l’auteur des 10 dernières minutes ?</translation>
    </message>
    <message>
        <source>Slow mode...</source>
        <translation>Mode lent...</translation>
    </message>
    <message>
        <source>Slow mode</source>
        <translation>Mode lent</translation>
    </message>
    <message>
        <source>Seconds between two messages of a member (0: off):</source>
        <translation>Secondes entre deux messages d’un membre (0 : désactivé) :</translation>
    </message>
    <message>
        <source>slow mode from the console</source>
        <translation>mode lent depuis la console</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Verrouiller</translation>
    </message>
    <message>
        <source>Lock the room? Members can read, not write.</source>
        <translation>Verrouiller le salon ? Les membres peuvent lire, pas écrire.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <source>unlocked from the console</source>
        <translation>déverrouillé depuis la console</translation>
    </message>
    <message>
        <source>Grant moderator...</source>
        <translation>Nommer modérateur...</translation>
    </message>
    <message>
        <source>Grant moderator</source>
        <translation>Nommer modérateur</translation>
    </message>
    <message>
        <source>User id to make a moderator of the room:</source>
        <translation>Identifiant de l’utilisateur à nommer modérateur du salon :</translation>
    </message>
    <message>
        <source>granted from the console</source>
        <translation>nommé depuis la console</translation>
    </message>
    <message>
        <source>Room %1</source>
        <translation>Salon %1</translation>
    </message>
    <message>
        <source>Cannot follow %1: %2</source>
        <translation>Impossible de suivre %1 : %2</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>Échec de « %1 » : %2</translation>
    </message>
    <message>
        <source>Message %1 deleted</source>
        <translation>Message %1 supprimé</translation>
    </message>
    <message>
        <source>%1 timed out</source>
        <translation>%1 exclu temporairement</translation>
    </message>
    <message>
        <source>%1 banned from %2</source>
        <translation>%1 banni de %2</translation>
    </message>
    <message>
        <source>Recent messages of %1 purged</source>
        <translation>Messages récents de %1 purgés</translation>
    </message>
    <message>
        <source>Slow mode of %1: %2 s</source>
        <translation>Mode lent de %1 : %2 s</translation>
    </message>
    <message>
        <source>%1 locked</source>
        <translation>%1 verrouillé</translation>
    </message>
    <message>
        <source>%1 unlocked</source>
        <translation>%1 déverrouillé</translation>
    </message>
    <message>
        <source>%1 is a moderator of %2</source>
        <translation>%1 est modérateur de %2</translation>
    </message>
</context>
<context>
    <name>veza::console::RunbookView</name>
    <message>
        <source>&amp;Work this runbook</source>
        <translation>&amp;Suivre cette procédure</translation>
    </message>
    <message>
        <source>Pick a runbook, or double click a firing alert</source>
        <translation>Choisissez une procédure, ou double-cliquez sur une alerte déclenchée</translation>
    </message>
    <message>
        <source>A note for the timeline, then Enter</source>
        <translation>Une note pour la chronologie, puis Entrée</translation>
    </message>
    <message>
        <source>E&amp;xport as Markdown...</source>
        <translation>E&amp;xporter en Markdown...</translation>
    </message>
    <message>
        <source>Export the incident timeline</source>
        <translation>Exporter la chronologie de l’incident</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Runbooks:</source>
        <translation>Procédures :</translation>
    </message>
    <message>
        <source>Incident timeline:</source>
        <translation>Chronologie de l’incident :</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Now:&lt;/b&gt; %1 = %2 (target %3)&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Maintenant :&lt;/b&gt; %1 = %2 (objectif %3)&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Copy the command</source>
        <translation>&amp;Copier la commande</translation>
    </message>
    <message>
        <source>Command values</source>
        <translation>Valeurs des commandes</translation>
    </message>
</context>
<context>
    <name>veza::console::StreamCharts</name>
    <message>
        <source>Listeners</source>
        <translation>Auditeurs</translation>
    </message>
    <message>
        <source>Bitrate in (kbit/s)</source>
        <translation>Débit reçu (kbit/s)</translation>
    </message>
</context>
<context>
    <name>veza::console::StreamListenersModel</name>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Rendition</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>Codec</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Player</source>
        <translation>Lecteur</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>Connecté depuis</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Reçu</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
</context>
<context>
    <name>veza::console::StreamPanel</name>
    <message>
        <source>&amp;Disconnect listener...</source>
        <translation>&amp;Déconnecter l’auditeur...</translation>
    </message>
    <message>
        <source>&amp;Cut source...</source>
        <translation>&amp;Couper la source...</translation>
    </message>
    <message>
        <source>&amp;End stream...</source>
        <translation>&amp;Terminer le flux...</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Déconnecter</translation>
    </message>
    <message>
        <source>Disconnect the selected listener of %1? It may connect again.</source>
        <translation>Déconnecter l’auditeur sélectionné de %1 ? Il pourra se reconnecter.</translation>
    </message>
    <message>
        <source>Cut source</source>
        <translation>Couper la source</translation>
    </message>
    <message>
        <source>Cut the source of %1 off? Listeners stay for the grace period; the source is refused for 10 minutes.</source>
        <translation>Couper la source de %1 ? Les auditeurs restent pendant le délai de grâce ; la source est refusée pendant 10 minutes.</translation>
    </message>
    <message>
        <source>End stream</source>
        <translation>Terminer le flux</translation>
    </message>
    <message>
        <source>End %1? Its source and every listener are disconnected and the stream is deleted.</source>
        <translation>Terminer %1 ? Sa source et tous ses auditeurs sont déconnectés et le flux est supprimé.</translation>
    </message>
    <message>
        <source>No stream selected</source>
        <translation>Aucun flux sélectionné</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Nothing announced on air</source>
        <translation>Rien d’annoncé à l’antenne</translation>
    </message>
    <message>
        <source>On air: %1</source>
        <translation>À l’antenne : %1</translation>
    </message>
    <message>
        <source>Listener %1 of %2 disconnected</source>
        <translation>Auditeur %1 de %2 déconnecté</translation>
    </message>
    <message>
        <source>Source of %1 cut off</source>
        <translation>Source de %1 coupée</translation>
    </message>
    <message>
        <source>Stream %1 ended</source>
        <translation>Flux %1 terminé</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>Échec de « %1 » : %2</translation>
    </message>
    <message>
        <source>Rendition</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation>Débit</translation>
    </message>
    <message>
        <source>%1 kbit/s</source>
        <translation>%1 kbit/s</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>Auditeurs</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>inactif</translation>
    </message>
    <message>
        <source>passthrough</source>
        <translation>transmis tel quel</translation>
    </message>
    <message>
        <source>transcoded</source>
        <translation>transcodé</translation>
    </message>
    <message>
        <source>Ed&amp;it...</source>
        <translation>Mod&amp;ifier...</translation>
    </message>
    <message>
        <source>&amp;Rotate key...</source>
        <translation>&amp;Changer de clé...</translation>
    </message>
    <message>
        <source>Rotate key</source>
        <translation>Changer de clé</translation>
    </message>
    <message>
        <source>Replace the key of %1? A source using the old key is disconnected at once.</source>
        <translation>Remplacer la clé de %1 ? Une source qui utilise l’ancienne clé est déconnectée aussitôt.</translation>
    </message>
    <message>
        <source>Listeners now</source>
        <translation>Auditeurs en ce moment</translation>
    </message>
    <message>
        <source>Renditions</source>
        <translation>Versions</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Graphiques</translation>
    </message>
    <message>
        <source>Loudness: not measured yet</source>
        <translation>Sonie : pas encore mesurée</translation>
    </message>
    <message>
        <source>Loudness: %1 LUFS (short-term)</source>
        <translation>Sonie : %1 LUFS (court terme)</translation>
    </message>
    <message>
        <source>Stream %1 edited</source>
        <translation>Flux %1 modifié</translation>
    </message>
    <message>
        <source>Key of %1 rotated</source>
        <translation>Clé de %1 changée</translation>
    </message>
    <message>
        <source>New stream key</source>
        <translation>Nouvelle clé de flux</translation>
    </message>
    <message>
        <source>The new key of %1 (shown once):</source>
        <translation>La nouvelle clé de %1 (affichée une seule fois) :</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>Modifier %1</translation>
    </message>
    <message>
        <source>Unchanged when left empty</source>
        <translation>Inchangé si laissé vide</translation>
    </message>
    <message>
        <source>Listed publicly</source>
        <translation>Listé publiquement</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Titre :</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>Description :</translation>
    </message>
    <message>
        <source>Genre:</source>
        <translation>Genre :</translation>
    </message>
    <message>
        <source>In L</source>
        <translation>Entrée G</translation>
    </message>
    <message>
        <source>In R</source>
        <translation>Entrée D</translation>
    </message>
    <message>
        <source>Out L</source>
        <translation>Sortie G</translation>
    </message>
    <message>
        <source>Out R</source>
        <translation>Sortie D</translation>
    </message>
    <message>
        <source>&amp;Listen</source>
        <translation>É&amp;couter</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Muet</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <source>Cannot play: %1</source>
        <translation>Lecture impossible : %1</translation>
    </message>
    <message>
        <source>E&amp;ffects...</source>
        <translation>E&amp;ffets...</translation>
    </message>
    <message>
        <source>Effects of %1 changed</source>
        <translation>Effets de %1 modifiés</translation>
    </message>
    <message>
        <source>Effects of %1</source>
        <translation>Effets de %1</translation>
    </message>
    <message>
        <source>Compressor</source>
        <translation>Compresseur</translation>
    </message>
    <message>
        <source>Limiter</source>
        <translation>Limiteur</translation>
    </message>
    <message>
        <source>Loudness normalization</source>
        <translation>Normalisation de la sonie</translation>
    </message>
    <message>
        <source>Mute (listeners stay connected)</source>
        <translation>Muet (les auditeurs restent connectés)</translation>
    </message>
    <message>
        <source>Gain:</source>
        <translation>Gain :</translation>
    </message>
    <message>
        <source>High-pass:</source>
        <translation>Passe-haut :</translation>
    </message>
    <message>
        <source>Ratio:</source>
        <translation>Taux :</translation>
    </message>
    <message>
        <source>Threshold:</source>
        <translation>Seuil :</translation>
    </message>
    <message>
        <source>Ceiling:</source>
        <translation>Plafond :</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>Cible :</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
</context>
<context>
    <name>veza::console::StreamsModel</name>
    <message>
        <source>Stream</source>
        <translation>Flux</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Propriétaire</translation>
    </message>
    <message>
        <source>Codec in</source>
        <translation>Codec reçu</translation>
    </message>
    <message>
        <source>Bitrate in</source>
        <translation>Débit reçu</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>Auditeurs</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>Pic</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>Now playing</source>
        <translation>À l’antenne</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Unlisted stream</source>
        <translation>Flux non listé</translation>
    </message>
    <message>
        <source>%1 (unlisted)</source>
        <translation>%1 (non listé)</translation>
    </message>
    <message>
        <source>%1 kbit/s</source>
        <translation>%1 kbit/s</translation>
    </message>
    <message>
        <source>Source lost</source>
        <translation>Source perdue</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>En direct</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Dégradés</translation>
    </message>
    <message>
        <source>Share of the low-latency listeners whose quality is degraded now (below the bitrate they asked for, or falling behind); target under 5%</source>
        <translation>Part des auditeurs à faible latence dont la qualité est dégradée en ce moment (sous le débit demandé, ou en retard) ; objectif : moins de 5 %</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>veza::console::StreamsView</name>
    <message>
        <source>Filter streams (name, title, owner, song...)</source>
        <translation>Filtrer les flux (nom, titre, propriétaire, morceau...)</translation>
    </message>
</context>
<context>
    <name>veza::console::UserDirectory</name>
    <message>
        <source>%1 (server)</source>
        <translation>%1 (serveur)</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 dans %2</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Vu pour la dernière fois</translation>
    </message>
    <message>
        <source>Sanctions</source>
        <translation>Sanctions</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Salon</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Où</translation>
    </message>
    <message>
        <source>the whole server</source>
        <translation>tout le serveur</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Jusqu’à</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
</context>
<context>
    <name>veza::console::UsersView</name>
    <message>
        <source>Search users by id or name, then Enter</source>
        <translation>Chercher des utilisateurs par identifiant ou nom, puis Entrée</translation>
    </message>
    <message>
        <source>Select a user</source>
        <translation>Sélectionnez un utilisateur</translation>
    </message>
    <message>
        <source>&amp;Lift sanction...</source>
        <translation>&amp;Lever la sanction...</translation>
    </message>
    <message>
        <source>Lift</source>
        <translation>Lever</translation>
    </message>
    <message>
        <source>Lift the selected ban or timeout?</source>
        <translation>Lever le bannissement ou l’exclusion sélectionné ?</translation>
    </message>
    <message>
        <source>Sanctions in force:</source>
        <translation>Sanctions en vigueur :</translation>
    </message>
    <message>
        <source>Recent messages in public rooms:</source>
        <translation>Messages récents dans les salons publics :</translation>
    </message>
    <message>
        <source>Moderation history:</source>
        <translation>Historique de modération :</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%2): roles %3; first seen %4, last seen %5; %n connection(s) now, %6 messages</source>
        <translation>
            <numerusform>%1 (%2) : rôles %3 ; vu la première fois %4, la dernière %5 ; %n connexion en ce moment, %6 messages</numerusform>
            <numerusform>%1 (%2) : rôles %3 ; vu la première fois %4, la dernière %5 ; %n connexions en ce moment, %6 messages</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>Server-wide sanction of %1 lifted</source>
        <translation>Sanction de %1 sur tout le serveur levée</translation>
    </message>
    <message>
        <source>Sanction of %1 in %2 lifted</source>
        <translation>Sanction de %1 dans %2 levée</translation>
    </message>
    <message>
        <source>Not lifted: %1</source>
        <translation>Non levée : %1</translation>
    </message>
</context>
<context>
    <name>veza::oncall::AlertsModel</name>
    <message>
        <source>Alert</source>
        <translation>Alerte</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Depuis</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Runbook</source>
        <translation>Procédure</translation>
    </message>
</context>
<context>
    <name>veza::oncall::FiguresModel</name>
    <message>
        <source>Key</source>
        <translation>Clé</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Indicateur</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
</context>
<context>
    <name>veza::oncall::MetricsSampler</name>
    <message>
        <source>not configured</source>
        <translation>non configuré</translation>
    </message>
    <message>
        <source>no answer within %1 ms</source>
        <translation>aucune réponse en %1 ms</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>aucune réponse</translation>
    </message>
    <message>
        <source>alive</source>
        <translation>en vie</translation>
    </message>
    <message>
        <source>stalled</source>
        <translation>bloqué</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>prêt</translation>
    </message>
    <message>
        <source>not ready</source>
        <translation>pas prêt</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>ligne %1 : %2</translation>
    </message>
    <message numerus="yes">
        <source>/metrics: %n unreadable line(s)</source>
        <translation>
            <numerusform>/metrics : %n ligne illisible</numerusform>
            <numerusform>/metrics : %n lignes illisibles</numerusform>
        </translation>
    </message>
    <message>
        <source>/metrics: HTTP %1</source>
        <translation>/metrics : HTTP %1</translation>
    </message>
    <message>
        <source>/metrics: %1</source>
        <translation>/metrics : %1</translation>
    </message>
    <message>
        <source>/health/live: %1</source>
        <translation>/health/live : %1</translation>
    </message>
    <message>
        <source>/health/ready: %1</source>
        <translation>/health/ready : %1</translation>
    </message>
    <message>
        <source>no server address configured</source>
        <translation>aucune adresse de serveur configurée</translation>
    </message>
</context>
<context>
    <name>veza::oncall::PrometheusSource</name>
    <message>
        <source>no Prometheus address configured</source>
        <translation>aucune adresse Prometheus configurée</translation>
    </message>
    <message>
        <source>no answer within %1 ms</source>
        <translation>aucune réponse en %1 ms</translation>
    </message>
    <message>
        <source>%1 (job %2) is down</source>
        <translation>%1 (job %2) est hors service</translation>
    </message>
    <message>
        <source>%1 of %2 up</source>
        <translation>%1 sur %2 en service</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n requests)</source>
        <translation>
            <numerusform>%1 (%n requête)</numerusform>
            <numerusform>%1 (%n requêtes)</numerusform>
        </translation>
    </message>
</context>
</TS>
