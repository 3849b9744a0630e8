<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect to a Veza server</source>
        <translation>Se connecter à un serveur Veza</translation>
    </message>
    <message>
        <source>Server address:</source>
        <translation>Adresse du serveur :</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Enter an address such as ws://127.0.0.1:8081/</source>
        <translation>Saisissez une adresse comme ws://127.0.0.1:8081/</translation>
    </message>
    <message>
        <source>The address must start with ws:// or wss://</source>
        <translation>L’adresse doit commencer par ws:// ou wss://</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Veza Console</source>
        <translation>Console Veza</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Serveur</translation>
    </message>
    <message>
        <source>&amp;Connect...</source>
        <translation>Se &amp;connecter…</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Connecté à %1</translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation>Déconnecté : %1</translation>
    </message>
    <message numerus="yes">
        <source>Server answered in %n ms</source>
        <translation>
            <numerusform>Le serveur a répondu en %n ms</numerusform>
            <numerusform>Le serveur a répondu en %n ms</numerusform>
        </translation>
    </message>
    <message>
        <source>Server error: %1</source>
        <translation>Erreur du serveur : %1</translation>
    </message>
    <message>
        <source>Connecting to %1...</source>
        <translation>Connexion à %1…</translation>
    </message>
</context>
</TS>
