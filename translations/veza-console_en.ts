<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ApiClient</name>
    <message>
        <source>No certificate could be read from %1</source>
        <translation>No certificate could be read from %1</translation>
    </message>
    <message>
        <source>HTTP status %1</source>
        <translation>HTTP status %1</translation>
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
        <translation>Monitor</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Metrics</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Disconnected</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connected</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Degraded</translation>
    </message>
</context>
<context>
    <name>ServerProfile</name>
    <message>
        <source>Enter the server&apos;s address, for example http://127.0.0.1:8080</source>
        <translation>Enter the server's address, for example http://127.0.0.1:8080</translation>
    </message>
    <message>
        <source>The server&apos;s address starts with http:// or https://</source>
        <translation>The server's address starts with http:// or https://</translation>
    </message>
    <message>
        <source>An overriding address is not a valid URL: %1</source>
        <translation>An overriding address is not a valid URL: %1</translation>
    </message>
    <message>
        <source>The WebSocket address starts with ws:// or wss://</source>
        <translation>The WebSocket address starts with ws:// or wss://</translation>
    </message>
</context>
<context>
    <name>veza::console::ConnectDialog</name>
    <message>
        <source>Connect to a Veza server</source>
        <translation>Connect to a Veza server</translation>
    </message>
    <message>
        <source>Paste a moderator&apos;s or an admin&apos;s access token</source>
        <translation>Paste a moderator's or an admin's access token</translation>
    </message>
    <message>
        <source>From a file...</source>
        <translation>From a file...</translation>
    </message>
    <message>
        <source>Remember the token in the system keychain</source>
        <translation>Remember the token in the system keychain</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Advanced</translation>
    </message>
    <message>
        <source>Derived: the server&apos;s host, its port + 1</source>
        <translation>Derived: the server's host, its port + 1</translation>
    </message>
    <message>
        <source>Derived: the server&apos;s host, port 9090</source>
        <translation>Derived: the server's host, port 9090</translation>
    </message>
    <message>
        <source>PEM file trusted besides the system&apos;s certificates</source>
        <translation>PEM file trusted besides the system's certificates</translation>
    </message>
    <message>
        <source>Optional: figures of the whole deployment</source>
        <translation>Optional: figures of the whole deployment</translation>
    </message>
    <message>
        <source>WebSocket address:</source>
        <translation>WebSocket address:</translation>
    </message>
    <message>
        <source>Metrics address:</source>
        <translation>Metrics address:</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>CA file:</translation>
    </message>
    <message>
        <source>Prometheus:</source>
        <translation>Prometheus:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Access token:</source>
        <translation>Access token:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connect</translation>
    </message>
    <message>
        <source>Read the access token from</source>
        <translation>Read the access token from</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Cannot read %1: %2</translation>
    </message>
    <message>
        <source>An access token is needed: `veza-server token --user NAME --roles moderator` makes one for a development server</source>
        <translation>An access token is needed: `veza-server token --user NAME --roles moderator` makes one for a development server</translation>
    </message>
</context>
<context>
    <name>veza::console::ConnectionIndicators</name>
    <message>
        <source>%1: %2</source>
        <extracomment>A channel and its state in the status bar: &quot;Monitor: Connected&quot;</extracomment>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>veza::console::ConsoleSession</name>
    <message>
        <source>token refused: %1</source>
        <translation>token refused: %1</translation>
    </message>
    <message>
        <source>server unreachable: %1</source>
        <translation>server unreachable: %1</translation>
    </message>
    <message>
        <source>this token is not a moderator&apos;s or an admin&apos;s: %1</source>
        <translation>this token is not a moderator's or an admin's: %1</translation>
    </message>
    <message>
        <source>not ready: %1</source>
        <translation>not ready: %1</translation>
    </message>
</context>
<context>
    <name>veza::console::MainWindow</name>
    <message>
        <source>Veza Console</source>
        <translation>Veza Console</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <source>Action failed</source>
        <translation>Action failed</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Not connected: %1</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Connected to %1</translation>
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
        <source>Disconnected</source>
        <translation>Disconnected</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>About Veza Console</source>
        <translation>About Veza Console</translation>
    </message>
    <message>
        <source>Veza Console %1: live streams, moderation and on-call for veza-server.</source>
        <translation>Veza Console %1: live streams, moderation and on-call for veza-server.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>The token is kept for this session only: no system keychain (%1)</source>
        <translation>The token is kept for this session only: no system keychain (%1)</translation>
    </message>
</context>
<context>
    <name>veza::console::MonitorChannel</name>
    <message>
        <source>authenticating</source>
        <translation>authenticating</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>reconnecting</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) lost: the console fell behind</source>
        <translation>
            <numerusform>%n event lost: the console fell behind</numerusform>
            <numerusform>%n events lost: the console fell behind</numerusform>
        </translation>
    </message>
    <message>
        <source>token refused (%1): paste a new one</source>
        <translation>token refused (%1): paste a new one</translation>
    </message>
    <message>
        <source>forbidden (%1)</source>
        <translation>forbidden (%1)</translation>
    </message>
    <message>
        <source>%1; retrying in %2 s</source>
        <translation>%1; retrying in %2 s</translation>
    </message>
</context>
<context>
    <name>veza::console::ReasonDialog</name>
    <message>
        <source>Reason, kept in the audit log</source>
        <translation>Reason, kept in the audit log</translation>
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
        <translation>Kind</translation>
    </message>
    <message>
        <source>Rendition</source>
        <translation>Rendition</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>Codec</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Player</source>
        <translation>Player</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>Connected since</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
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
        <translation>&amp;Disconnect listener...</translation>
    </message>
    <message>
        <source>&amp;Cut source...</source>
        <translation>&amp;Cut source...</translation>
    </message>
    <message>
        <source>&amp;End stream...</source>
        <translation>&amp;End stream...</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Disconnect</translation>
    </message>
    <message>
        <source>Disconnect the selected listener of %1? It may connect again.</source>
        <translation>Disconnect the selected listener of %1? It may connect again.</translation>
    </message>
    <message>
        <source>Cut source</source>
        <translation>Cut source</translation>
    </message>
    <message>
        <source>Cut the source of %1 off? Listeners stay for the grace period; the source is refused for 10 minutes.</source>
        <translation>Cut the source of %1 off? Listeners stay for the grace period; the source is refused for 10 minutes.</translation>
    </message>
    <message>
        <source>End stream</source>
        <translation>End stream</translation>
    </message>
    <message>
        <source>End %1? Its source and every listener are disconnected and the stream is deleted.</source>
        <translation>End %1? Its source and every listener are disconnected and the stream is deleted.</translation>
    </message>
    <message>
        <source>Listeners connected now:</source>
        <translation>Listeners connected now:</translation>
    </message>
    <message>
        <source>No stream selected</source>
        <translation>No stream selected</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Nothing announced on air</source>
        <translation>Nothing announced on air</translation>
    </message>
    <message>
        <source>On air: %1</source>
        <translation>On air: %1</translation>
    </message>
    <message>
        <source>Listener %1 of %2 disconnected</source>
        <translation>Listener %1 of %2 disconnected</translation>
    </message>
    <message>
        <source>Source of %1 cut off</source>
        <translation>Source of %1 cut off</translation>
    </message>
    <message>
        <source>Stream %1 ended</source>
        <translation>Stream %1 ended</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 failed: %2</translation>
    </message>
</context>
<context>
    <name>veza::console::StreamsModel</name>
    <message>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Codec in</source>
        <translation>Codec in</translation>
    </message>
    <message>
        <source>Bitrate in</source>
        <translation>Bitrate in</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>Listeners</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>Peak</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Uptime</translation>
    </message>
    <message>
        <source>Now playing</source>
        <translation>Now playing</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Unlisted stream</source>
        <translation>Unlisted stream</translation>
    </message>
    <message>
        <source>%1 (unlisted)</source>
        <translation>%1 (unlisted)</translation>
    </message>
    <message>
        <source>%1 kbit/s</source>
        <translation>%1 kbit/s</translation>
    </message>
    <message>
        <source>Source lost</source>
        <translation>Source lost</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
</context>
<context>
    <name>veza::console::StreamsView</name>
    <message>
        <source>Filter streams (name, title, owner, song...)</source>
        <translation>Filter streams (name, title, owner, song...)</translation>
    </message>
</context>
</TS>
