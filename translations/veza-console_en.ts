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
        <translation>No events were recorded.</translation>
    </message>
    <message>
        <source>Start: %1 %2</source>
        <translation>Start: %1 %2</translation>
    </message>
    <message>
        <source>End: %1 %2</source>
        <translation>End: %1 %2</translation>
    </message>
    <message>
        <source>Duration: %1</source>
        <translation>Duration: %1</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Checklists</source>
        <translation>Checklists</translation>
    </message>
    <message>
        <source>Started %1, finished %2; %3 of %4 steps done, %5 skipped.</source>
        <translation>Started %1, finished %2; %3 of %4 steps done, %5 skipped.</translation>
    </message>
    <message>
        <source>Started %1, not finished; %2 of %3 steps done, %4 skipped.</source>
        <translation>Started %1, not finished; %2 of %3 steps done, %4 skipped.</translation>
    </message>
    <message>
        <source>%1 (done %2)</source>
        <translation>%1 (done %2)</translation>
    </message>
    <message>
        <source>~~%1~~ (skipped %2)</source>
        <translation>~~%1~~ (skipped %2)</translation>
    </message>
    <message>
        <source>~~%1~~ (skipped %2: %3)</source>
        <translation>~~%1~~ (skipped %2: %3)</translation>
    </message>
</context>
<context>
    <name>OncallAlertRules</name>
    <message>
        <source>expected NAME EXPRESSION for DURATION severity SEVERITY runbook RUNBOOK</source>
        <translation>expected NAME EXPRESSION for DURATION severity SEVERITY runbook RUNBOOK</translation>
    </message>
    <message>
        <source>invalid alert name &quot;%1&quot;</source>
        <translation>invalid alert name &quot;%1&quot;</translation>
    </message>
    <message>
        <source>invalid expression &quot;%1&quot;</source>
        <translation>invalid expression &quot;%1&quot;</translation>
    </message>
    <message>
        <source>invalid window &quot;%1&quot;</source>
        <translation>invalid window &quot;%1&quot;</translation>
    </message>
    <message>
        <source>unknown figure &quot;%1&quot;</source>
        <translation>unknown figure &quot;%1&quot;</translation>
    </message>
    <message>
        <source>invalid threshold &quot;%1&quot;</source>
        <translation>invalid threshold &quot;%1&quot;</translation>
    </message>
    <message>
        <source>invalid duration &quot;%1&quot;</source>
        <translation>invalid duration &quot;%1&quot;</translation>
    </message>
    <message>
        <source>unknown severity &quot;%1&quot; (critical, warning or info)</source>
        <translation>unknown severity &quot;%1&quot; (critical, warning or info)</translation>
    </message>
    <message>
        <source>invalid runbook id &quot;%1&quot;</source>
        <translation>invalid runbook id &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1 is already defined on line %2</source>
        <translation>%1 is already defined on line %2</translation>
    </message>
</context>
<context>
    <name>OncallAlerts</name>
    <message>
        <source>critical</source>
        <translation>critical</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>warning</translation>
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
        <translation>Server alive</translation>
    </message>
    <message>
        <source>Server ready</source>
        <translation>Server ready</translation>
    </message>
    <message>
        <source>WebSocket connections</source>
        <translation>WebSocket connections</translation>
    </message>
    <message>
        <source>Active users</source>
        <translation>Active users</translation>
    </message>
    <message>
        <source>Chat messages</source>
        <translation>Chat messages</translation>
    </message>
    <message>
        <source>HTTP latency P99</source>
        <translation>HTTP latency P99</translation>
    </message>
    <message>
        <source>Message latency P99</source>
        <translation>Message latency P99</translation>
    </message>
    <message>
        <source>HTTP errors (5xx)</source>
        <translation>HTTP errors (5xx)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memory</translation>
    </message>
    <message>
        <source>Live streams</source>
        <translation>Live streams</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>Listeners</translation>
    </message>
    <message>
        <source>Degraded stream quality</source>
        <translation>Degraded stream quality</translation>
    </message>
    <message>
        <source>Database query P99</source>
        <translation>Database query P99</translation>
    </message>
    <message>
        <source>Message delivery success</source>
        <translation>Message delivery success</translation>
    </message>
    <message>
        <source>Slow consumer disconnects</source>
        <translation>Slow consumer disconnects</translation>
    </message>
    <message>
        <source>Open files</source>
        <translation>Open files</translation>
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
        <translation>%1%</translation>
    </message>
    <message>
        <source>passing</source>
        <translation>passing</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>failing</translation>
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
        <translation>warning</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>critical</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>OncallSource</name>
    <message>
        <source>connected</source>
        <translation>connected</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>degraded</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>unreachable</translation>
    </message>
    <message>
        <source>waiting for the first sample</source>
        <translation>waiting for the first sample</translation>
    </message>
</context>
<context>
    <name>RunbookFieldReader</name>
    <message>
        <source>unknown field, ignored (known: %1)</source>
        <translation>unknown field, ignored (known: %1)</translation>
    </message>
    <message>
        <source>missing field &quot;%1&quot;</source>
        <translation>missing field &quot;%1&quot;</translation>
    </message>
    <message>
        <source>must be %1</source>
        <translation>must be %1</translation>
    </message>
    <message>
        <source>must be a string</source>
        <translation>must be a string</translation>
    </message>
    <message>
        <source>no English text (&quot;en&quot;), which every language falls back to</source>
        <translation>no English text (&quot;en&quot;), which every language falls back to</translation>
    </message>
    <message>
        <source>must be a string or an object of translations such as {&quot;en&quot;: &quot;...&quot;, &quot;fr&quot;: &quot;...&quot;}</source>
        <translation>must be a string or an object of translations such as {&quot;en&quot;: &quot;...&quot;, &quot;fr&quot;: &quot;...&quot;}</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>must not be empty</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an id: use lower-case letters, digits and &apos;-&apos;, starting with a letter or digit</source>
        <translation>&quot;%1&quot; is not an id: use lower-case letters, digits and &apos;-&apos;, starting with a letter or digit</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>a string</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>an array</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>an object</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>a number</translation>
    </message>
    <message>
        <source>another type</source>
        <translation>another type</translation>
    </message>
</context>
<context>
    <name>RunbookLoader</name>
    <message>
        <source>cannot read the file: %1</source>
        <translation>cannot read the file: %1</translation>
    </message>
    <message>
        <source>id: &quot;%1&quot; is already the id of %2 in the same folder</source>
        <translation>id: &quot;%1&quot; is already the id of %2 in the same folder</translation>
    </message>
</context>
<context>
    <name>RunbookParser</name>
    <message>
        <source>a placeholder must be an object</source>
        <translation>a placeholder must be an object</translation>
    </message>
    <message>
        <source>placeholder name &quot;%1&quot; must be a lower-case letter then letters, digits or &apos;_&apos;</source>
        <translation>placeholder name &quot;%1&quot; must be a lower-case letter then letters, digits or &apos;_&apos;</translation>
    </message>
    <message>
        <source>placeholder &quot;%1&quot; is declared twice</source>
        <translation>placeholder &quot;%1&quot; is declared twice</translation>
    </message>
    <message>
        <source>a command must be an object with &quot;label&quot; and &quot;command&quot;</source>
        <translation>a command must be an object with &quot;label&quot; and &quot;command&quot;</translation>
    </message>
    <message>
        <source>unknown command kind &quot;%1&quot; (known: shell, promql)</source>
        <translation>unknown command kind &quot;%1&quot; (known: shell, promql)</translation>
    </message>
    <message>
        <source>placeholder {%1} is not declared in &quot;placeholders&quot;</source>
        <translation>placeholder {%1} is not declared in &quot;placeholders&quot;</translation>
    </message>
    <message>
        <source>must hold at least one step</source>
        <translation>must hold at least one step</translation>
    </message>
    <message>
        <source>a step must be an object</source>
        <translation>a step must be an object</translation>
    </message>
    <message>
        <source>duplicate step id &quot;%1&quot; (first at line %2)</source>
        <translation>duplicate step id &quot;%1&quot; (first at line %2)</translation>
    </message>
    <message>
        <source>unknown figure key &quot;%1&quot; (known: %2)</source>
        <translation>unknown figure key &quot;%1&quot; (known: %2)</translation>
    </message>
    <message>
        <source>placeholder &quot;%1&quot; is declared but no command uses it</source>
        <translation>placeholder &quot;%1&quot; is declared but no command uses it</translation>
    </message>
    <message>
        <source>an alert name must be a string</source>
        <translation>an alert name must be a string</translation>
    </message>
    <message>
        <source>unknown alert name &quot;%1&quot; (known: %2)</source>
        <translation>unknown alert name &quot;%1&quot; (known: %2)</translation>
    </message>
    <message>
        <source>not valid JSON: %1</source>
        <translation>not valid JSON: %1</translation>
    </message>
    <message>
        <source>a runbook file must hold one JSON object</source>
        <translation>a runbook file must hold one JSON object</translation>
    </message>
    <message>
        <source>%1 is not a schema this console reads (it reads %2)</source>
        <translation>%1 is not a schema this console reads (it reads %2)</translation>
    </message>
    <message>
        <source>unknown severity &quot;%1&quot; (known: %2)</source>
        <translation>unknown severity &quot;%1&quot; (known: %2)</translation>
    </message>
</context>
<context>
    <name>RunbookProblem</name>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>warning</translation>
    </message>
</context>
<context>
    <name>ServerProfile</name>
    <message>
        <source>Enter the server&apos;s address, for example http://127.0.0.1:8080</source>
        <translation>Enter the server&apos;s address, for example http://127.0.0.1:8080</translation>
    </message>
    <message>
        <source>The server&apos;s address starts with http:// or https://</source>
        <translation>The server&apos;s address starts with http:// or https://</translation>
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
    <name>TimelineEvent</name>
    <message>
        <source>Alert fired</source>
        <translation>Alert fired</translation>
    </message>
    <message>
        <source>Alert resolved</source>
        <translation>Alert resolved</translation>
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
        <translation>Checklist started</translation>
    </message>
    <message>
        <source>Step done</source>
        <translation>Step done</translation>
    </message>
    <message>
        <source>Step skipped</source>
        <translation>Step skipped</translation>
    </message>
    <message>
        <source>Step reopened</source>
        <translation>Step reopened</translation>
    </message>
    <message>
        <source>Checklist finished</source>
        <translation>Checklist finished</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>veza::console::AudioDecoder</name>
    <message>
        <source>no audio the console can decode</source>
        <translation>no audio the console can decode</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2 Hz, %n channel(s)</source>
        <translation>
            <numerusform>%1, %2 Hz, %n channel</numerusform>
            <numerusform>%1, %2 Hz, %n channels</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot convert %1 Hz audio</source>
        <translation>cannot convert %1 Hz audio</translation>
    </message>
</context>
<context>
    <name>veza::console::AuditLogView</name>
    <message>
        <source>Moderator</source>
        <translation>Moderator</translation>
    </message>
    <message>
        <source>Action (ban, delete...)</source>
        <translation>Action (ban, delete...)</translation>
    </message>
    <message>
        <source>Target user</source>
        <translation>Target user</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Room</translation>
    </message>
</context>
<context>
    <name>veza::console::ChatChannel</name>
    <message>
        <source>disconnected</source>
        <translation>disconnected</translation>
    </message>
    <message>
        <source>the chat is not connected</source>
        <translation>the chat is not connected</translation>
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
        <translation>Paste a moderator&apos;s or an admin&apos;s access token</translation>
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
        <translation>Derived: the server&apos;s host, its port + 1</translation>
    </message>
    <message>
        <source>Derived: the server&apos;s host, port 9090</source>
        <translation>Derived: the server&apos;s host, port 9090</translation>
    </message>
    <message>
        <source>PEM file trusted besides the system&apos;s certificates</source>
        <translation>PEM file trusted besides the system&apos;s certificates</translation>
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
        <translation>this token is not a moderator&apos;s or an admin&apos;s: %1</translation>
    </message>
    <message>
        <source>not ready: %1</source>
        <translation>not ready: %1</translation>
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
        <translation>Connecting...</translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>Not listening</translation>
    </message>
    <message>
        <source>the stream ended</source>
        <translation>the stream ended</translation>
    </message>
    <message>
        <source>Cannot play: %1</source>
        <translation>Cannot play: %1</translation>
    </message>
    <message>
        <source>Buffering %1 (%2): %3 s</source>
        <translation>Buffering %1 (%2): %3 s</translation>
    </message>
    <message>
        <source>Playing %1 (%2): buffer %3 s, %4 s behind live</source>
        <translation>Playing %1 (%2): buffer %3 s, %4 s behind live</translation>
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
    <message>
        <source>&amp;Streams</source>
        <translation>&amp;Streams</translation>
    </message>
    <message>
        <source>&amp;Rooms</source>
        <translation>&amp;Rooms</translation>
    </message>
    <message>
        <source>Review &amp;queue</source>
        <translation>Review &amp;queue</translation>
    </message>
    <message>
        <source>&amp;Audit log</source>
        <translation>&amp;Audit log</translation>
    </message>
    <message>
        <source>Review &amp;queue (%1)</source>
        <translation>Review &amp;queue (%1)</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>&amp;Users</translation>
    </message>
    <message>
        <source>&amp;On-call</source>
        <translation>&amp;On-call</translation>
    </message>
    <message>
        <source>Run&amp;books</source>
        <translation>Run&amp;books</translation>
    </message>
    <message>
        <source>Alert %1 (%2): %3</source>
        <translation>Alert %1 (%2): %3</translation>
    </message>
    <message>
        <source>Alert %1</source>
        <translation>Alert %1</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>The system&apos;s</source>
        <translation>The system&apos;s</translation>
    </message>
    <message>
        <source>Language: %1</source>
        <translation>Language: %1</translation>
    </message>
</context>
<context>
    <name>veza::console::ModerationDesk</name>
    <message>
        <source>Room</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>private</source>
        <translation>private</translation>
    </message>
    <message>
        <source>public</source>
        <translation>public</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Messages (1 h)</source>
        <translation>Messages (1 h)</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Last activity</translation>
    </message>
    <message>
        <source>Open reports</source>
        <translation>Open reports</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>locked</translation>
    </message>
    <message>
        <source>slow mode %1 s</source>
        <translation>slow mode %1 s</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Author</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Moderator</source>
        <translation>Moderator</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <source>%1 on %2 in %3</source>
        <translation>%1 on %2 in %3</translation>
    </message>
    <message>
        <source>Report %1 resolved: %2</source>
        <translation>Report %1 resolved: %2</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
</context>
<context>
    <name>veza::console::MonitorChannel</name>
    <message numerus="yes">
        <source>%n event(s) lost: the console fell behind</source>
        <translation>
            <numerusform>%n event lost: the console fell behind</numerusform>
            <numerusform>%n events lost: the console fell behind</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>veza::console::OncallDesk</name>
    <message>
        <source>On-call session</source>
        <translation>On-call session</translation>
    </message>
</context>
<context>
    <name>veza::console::OncallView</name>
    <message>
        <source>Not connected</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>Alerts firing (double click: the runbook):</source>
        <translation>Alerts firing (double click: the runbook):</translation>
    </message>
    <message>
        <source>Figures of the whole deployment, from Prometheus: %1</source>
        <translation>Figures of the whole deployment, from Prometheus: %1</translation>
    </message>
    <message>
        <source>Figures of this server, from its /metrics: %1</source>
        <translation>Figures of this server, from its /metrics: %1</translation>
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
    <name>veza::console::ReconnectingSocket</name>
    <message>
        <source>authenticating</source>
        <translation>authenticating</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>reconnecting</translation>
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
    <name>veza::console::ReviewQueueView</name>
    <message>
        <source>Select a report to see its message in context.</source>
        <translation>Select a report to see its message in context.</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <source>Dismiss the report: the message stays.</source>
        <translation>Dismiss the report: the message stays.</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Delete message</translation>
    </message>
    <message>
        <source>Delete the reported message?</source>
        <translation>Delete the reported message?</translation>
    </message>
    <message>
        <source>Timeout 1 h</source>
        <translation>Timeout 1 h</translation>
    </message>
    <message>
        <source>Time the author out of the room for an hour?</source>
        <translation>Time the author out of the room for an hour?</translation>
    </message>
    <message>
        <source>Ban</source>
        <translation>Ban</translation>
    </message>
    <message>
        <source>Ban the author from the room?</source>
        <translation>Ban the author from the room?</translation>
    </message>
    <message>
        <source>Report %1: %2</source>
        <translation>Report %1: %2</translation>
    </message>
    <message>
        <source>Report %1 not resolved: %2</source>
        <translation>Report %1 not resolved: %2</translation>
    </message>
    <message>
        <source>Loading...</source>
        <translation>Loading...</translation>
    </message>
    <message>
        <source>Most reported first</source>
        <translation>Most reported first</translation>
    </message>
</context>
<context>
    <name>veza::console::RoomFeed</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Author</translation>
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
        <translation>(deleted)</translation>
    </message>
    <message>
        <source>Reactions</source>
        <translation>Reactions</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>deleted</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>edited</translation>
    </message>
</context>
<context>
    <name>veza::console::RoomsView</name>
    <message>
        <source>Filter rooms</source>
        <translation>Filter rooms</translation>
    </message>
    <message>
        <source>No room selected</source>
        <translation>No room selected</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Delete the selected message?</source>
        <translation>Delete the selected message?</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 minutes</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 hour</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 hours</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 days</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Timeout</translation>
    </message>
    <message>
        <source>Time the author out for %1?</source>
        <translation>Time the author out for %1?</translation>
    </message>
    <message>
        <source>Ban</source>
        <translation>Ban</translation>
    </message>
    <message>
        <source>Ban the author from this room?</source>
        <translation>Ban the author from this room?</translation>
    </message>
    <message>
        <source>Purge</source>
        <translation>Purge</translation>
    </message>
    <message>
        <source>Delete the author&apos;s messages of the last 10 minutes?</source>
        <translation>Delete the author&apos;s messages of the last 10 minutes?</translation>
    </message>
    <message>
        <source>Slow mode...</source>
        <translation>Slow mode...</translation>
    </message>
    <message>
        <source>Slow mode</source>
        <translation>Slow mode</translation>
    </message>
    <message>
        <source>Seconds between two messages of a member (0: off):</source>
        <translation>Seconds between two messages of a member (0: off):</translation>
    </message>
    <message>
        <source>slow mode from the console</source>
        <translation>slow mode from the console</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>Lock the room? Members can read, not write.</source>
        <translation>Lock the room? Members can read, not write.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>unlocked from the console</source>
        <translation>unlocked from the console</translation>
    </message>
    <message>
        <source>Grant moderator...</source>
        <translation>Grant moderator...</translation>
    </message>
    <message>
        <source>Grant moderator</source>
        <translation>Grant moderator</translation>
    </message>
    <message>
        <source>User id to make a moderator of the room:</source>
        <translation>User id to make a moderator of the room:</translation>
    </message>
    <message>
        <source>granted from the console</source>
        <translation>granted from the console</translation>
    </message>
    <message>
        <source>Room %1</source>
        <translation>Room %1</translation>
    </message>
    <message>
        <source>Cannot follow %1: %2</source>
        <translation>Cannot follow %1: %2</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 failed: %2</translation>
    </message>
    <message>
        <source>Message %1 deleted</source>
        <translation>Message %1 deleted</translation>
    </message>
    <message>
        <source>%1 timed out</source>
        <translation>%1 timed out</translation>
    </message>
    <message>
        <source>%1 banned from %2</source>
        <translation>%1 banned from %2</translation>
    </message>
    <message>
        <source>Recent messages of %1 purged</source>
        <translation>Recent messages of %1 purged</translation>
    </message>
    <message>
        <source>Slow mode of %1: %2 s</source>
        <translation>Slow mode of %1: %2 s</translation>
    </message>
    <message>
        <source>%1 locked</source>
        <translation>%1 locked</translation>
    </message>
    <message>
        <source>%1 unlocked</source>
        <translation>%1 unlocked</translation>
    </message>
    <message>
        <source>%1 is a moderator of %2</source>
        <translation>%1 is a moderator of %2</translation>
    </message>
</context>
<context>
    <name>veza::console::RunbookView</name>
    <message>
        <source>&amp;Work this runbook</source>
        <translation>&amp;Work this runbook</translation>
    </message>
    <message>
        <source>Pick a runbook, or double click a firing alert</source>
        <translation>Pick a runbook, or double click a firing alert</translation>
    </message>
    <message>
        <source>A note for the timeline, then Enter</source>
        <translation>A note for the timeline, then Enter</translation>
    </message>
    <message>
        <source>E&amp;xport as Markdown...</source>
        <translation>E&amp;xport as Markdown...</translation>
    </message>
    <message>
        <source>Export the incident timeline</source>
        <translation>Export the incident timeline</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Runbooks:</source>
        <translation>Runbooks:</translation>
    </message>
    <message>
        <source>Incident timeline:</source>
        <translation>Incident timeline:</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Now:&lt;/b&gt; %1 = %2 (target %3)&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Now:&lt;/b&gt; %1 = %2 (target %3)&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Copy the command</source>
        <translation>&amp;Copy the command</translation>
    </message>
    <message>
        <source>Command values</source>
        <translation>Command values</translation>
    </message>
</context>
<context>
    <name>veza::console::StreamCharts</name>
    <message>
        <source>Listeners</source>
        <translation>Listeners</translation>
    </message>
    <message>
        <source>Bitrate in (kbit/s)</source>
        <translation>Bitrate in (kbit/s)</translation>
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
    <message>
        <source>Rendition</source>
        <translation>Rendition</translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation>Bitrate</translation>
    </message>
    <message>
        <source>%1 kbit/s</source>
        <translation>%1 kbit/s</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>Listeners</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>idle</translation>
    </message>
    <message>
        <source>passthrough</source>
        <translation>passthrough</translation>
    </message>
    <message>
        <source>transcoded</source>
        <translation>transcoded</translation>
    </message>
    <message>
        <source>Ed&amp;it...</source>
        <translation>Ed&amp;it...</translation>
    </message>
    <message>
        <source>&amp;Rotate key...</source>
        <translation>&amp;Rotate key...</translation>
    </message>
    <message>
        <source>Rotate key</source>
        <translation>Rotate key</translation>
    </message>
    <message>
        <source>Replace the key of %1? A source using the old key is disconnected at once.</source>
        <translation>Replace the key of %1? A source using the old key is disconnected at once.</translation>
    </message>
    <message>
        <source>Listeners now</source>
        <translation>Listeners now</translation>
    </message>
    <message>
        <source>Renditions</source>
        <translation>Renditions</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Charts</translation>
    </message>
    <message>
        <source>Loudness: not measured yet</source>
        <translation>Loudness: not measured yet</translation>
    </message>
    <message>
        <source>Loudness: %1 LUFS (short-term)</source>
        <translation>Loudness: %1 LUFS (short-term)</translation>
    </message>
    <message>
        <source>Stream %1 edited</source>
        <translation>Stream %1 edited</translation>
    </message>
    <message>
        <source>Key of %1 rotated</source>
        <translation>Key of %1 rotated</translation>
    </message>
    <message>
        <source>New stream key</source>
        <translation>New stream key</translation>
    </message>
    <message>
        <source>The new key of %1 (shown once):</source>
        <translation>The new key of %1 (shown once):</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>Edit %1</translation>
    </message>
    <message>
        <source>Unchanged when left empty</source>
        <translation>Unchanged when left empty</translation>
    </message>
    <message>
        <source>Listed publicly</source>
        <translation>Listed publicly</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Title:</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>Description:</translation>
    </message>
    <message>
        <source>Genre:</source>
        <translation>Genre:</translation>
    </message>
    <message>
        <source>In L</source>
        <translation>In L</translation>
    </message>
    <message>
        <source>In R</source>
        <translation>In R</translation>
    </message>
    <message>
        <source>Out L</source>
        <translation>Out L</translation>
    </message>
    <message>
        <source>Out R</source>
        <translation>Out R</translation>
    </message>
    <message>
        <source>&amp;Listen</source>
        <translation>&amp;Listen</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Mute</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stop</translation>
    </message>
    <message>
        <source>Cannot play: %1</source>
        <translation>Cannot play: %1</translation>
    </message>
    <message>
        <source>E&amp;ffects...</source>
        <translation>E&amp;ffects...</translation>
    </message>
    <message>
        <source>Effects of %1 changed</source>
        <translation>Effects of %1 changed</translation>
    </message>
    <message>
        <source>Effects of %1</source>
        <translation>Effects of %1</translation>
    </message>
    <message>
        <source>Compressor</source>
        <translation>Compressor</translation>
    </message>
    <message>
        <source>Limiter</source>
        <translation>Limiter</translation>
    </message>
    <message>
        <source>Loudness normalization</source>
        <translation>Loudness normalization</translation>
    </message>
    <message>
        <source>Mute (listeners stay connected)</source>
        <translation>Mute (listeners stay connected)</translation>
    </message>
    <message>
        <source>Gain:</source>
        <translation>Gain:</translation>
    </message>
    <message>
        <source>High-pass:</source>
        <translation>High-pass:</translation>
    </message>
    <message>
        <source>Ratio:</source>
        <translation>Ratio:</translation>
    </message>
    <message>
        <source>Threshold:</source>
        <translation>Threshold:</translation>
    </message>
    <message>
        <source>Ceiling:</source>
        <translation>Ceiling:</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>Target:</translation>
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
    <message>
        <source>Degraded</source>
        <translation>Degraded</translation>
    </message>
    <message>
        <source>Share of the low-latency listeners whose quality is degraded now (below the bitrate they asked for, or falling behind); target under 5%</source>
        <translation>Share of the low-latency listeners whose quality is degraded now (below the bitrate they asked for, or falling behind); target under 5%</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
</context>
<context>
    <name>veza::console::StreamsView</name>
    <message>
        <source>Filter streams (name, title, owner, song...)</source>
        <translation>Filter streams (name, title, owner, song...)</translation>
    </message>
</context>
<context>
    <name>veza::console::UserDirectory</name>
    <message>
        <source>%1 (server)</source>
        <translation>%1 (server)</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 in %2</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Last seen</translation>
    </message>
    <message>
        <source>Sanctions</source>
        <translation>Sanctions</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Where</translation>
    </message>
    <message>
        <source>the whole server</source>
        <translation>the whole server</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
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
        <translation>Search users by id or name, then Enter</translation>
    </message>
    <message>
        <source>Select a user</source>
        <translation>Select a user</translation>
    </message>
    <message>
        <source>&amp;Lift sanction...</source>
        <translation>&amp;Lift sanction...</translation>
    </message>
    <message>
        <source>Lift</source>
        <translation>Lift</translation>
    </message>
    <message>
        <source>Lift the selected ban or timeout?</source>
        <translation>Lift the selected ban or timeout?</translation>
    </message>
    <message>
        <source>Sanctions in force:</source>
        <translation>Sanctions in force:</translation>
    </message>
    <message>
        <source>Recent messages in public rooms:</source>
        <translation>Recent messages in public rooms:</translation>
    </message>
    <message>
        <source>Moderation history:</source>
        <translation>Moderation history:</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%2): roles %3; first seen %4, last seen %5; %n connection(s) now, %6 messages</source>
        <translation>
            <numerusform>%1 (%2): roles %3; first seen %4, last seen %5; %n connection now, %6 messages</numerusform>
            <numerusform>%1 (%2): roles %3; first seen %4, last seen %5; %n connections now, %6 messages</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Server-wide sanction of %1 lifted</source>
        <translation>Server-wide sanction of %1 lifted</translation>
    </message>
    <message>
        <source>Sanction of %1 in %2 lifted</source>
        <translation>Sanction of %1 in %2 lifted</translation>
    </message>
    <message>
        <source>Not lifted: %1</source>
        <translation>Not lifted: %1</translation>
    </message>
</context>
<context>
    <name>veza::oncall::AlertsModel</name>
    <message>
        <source>Alert</source>
        <translation>Alert</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Runbook</source>
        <translation>Runbook</translation>
    </message>
</context>
<context>
    <name>veza::oncall::FiguresModel</name>
    <message>
        <source>Key</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Figure</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
</context>
<context>
    <name>veza::oncall::MetricsSampler</name>
    <message>
        <source>not configured</source>
        <translation>not configured</translation>
    </message>
    <message>
        <source>no answer within %1 ms</source>
        <translation>no answer within %1 ms</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>no answer</translation>
    </message>
    <message>
        <source>alive</source>
        <translation>alive</translation>
    </message>
    <message>
        <source>stalled</source>
        <translation>stalled</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>not ready</source>
        <translation>not ready</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>line %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>/metrics: %n unreadable line(s)</source>
        <translation>
            <numerusform>/metrics: %n unreadable line</numerusform>
            <numerusform>/metrics: %n unreadable lines</numerusform>
        </translation>
    </message>
    <message>
        <source>/metrics: HTTP %1</source>
        <translation>/metrics: HTTP %1</translation>
    </message>
    <message>
        <source>/metrics: %1</source>
        <translation>/metrics: %1</translation>
    </message>
    <message>
        <source>/health/live: %1</source>
        <translation>/health/live: %1</translation>
    </message>
    <message>
        <source>/health/ready: %1</source>
        <translation>/health/ready: %1</translation>
    </message>
    <message>
        <source>no server address configured</source>
        <translation>no server address configured</translation>
    </message>
</context>
<context>
    <name>veza::oncall::PrometheusSource</name>
    <message>
        <source>no Prometheus address configured</source>
        <translation>no Prometheus address configured</translation>
    </message>
    <message>
        <source>no answer within %1 ms</source>
        <translation>no answer within %1 ms</translation>
    </message>
    <message>
        <source>%1 (job %2) is down</source>
        <translation>%1 (job %2) is down</translation>
    </message>
    <message>
        <source>%1 of %2 up</source>
        <translation>%1 of %2 up</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n requests)</source>
        <translation>
            <numerusform>%1 (%n request)</numerusform>
            <numerusform>%1 (%n requests)</numerusform>
        </translation>
    </message>
</context>
</TS>
