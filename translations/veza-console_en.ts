<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect to a Veza server</source>
        <translation>Connect to a Veza server</translation>
    </message>
    <message>
        <source>Server address:</source>
        <translation>Server address:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connect</translation>
    </message>
    <message>
        <source>Enter an address such as ws://127.0.0.1:8081/</source>
        <translation>Enter an address such as ws://127.0.0.1:8081/</translation>
    </message>
    <message>
        <source>The address must start with ws:// or wss://</source>
        <translation>The address must start with ws:// or wss://</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Veza Console</source>
        <translation>Veza Console</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>&amp;Connect...</source>
        <translation>&amp;Connect...</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Disconnect</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Connected to %1</translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation>Disconnected: %1</translation>
    </message>
    <message numerus="yes">
        <source>Server answered in %n ms</source>
        <translation>
            <numerusform>Server answered in %n ms</numerusform>
            <numerusform>Server answered in %n ms</numerusform>
        </translation>
    </message>
    <message>
        <source>Server error: %1</source>
        <translation>Server error: %1</translation>
    </message>
    <message>
        <source>Connecting to %1...</source>
        <translation>Connecting to %1...</translation>
    </message>
</context>
</TS>
