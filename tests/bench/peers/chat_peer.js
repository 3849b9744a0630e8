#!/usr/bin/env node
// Peer server for tests/bench/chat_bench.sh: a minimal broadcast chat on node's `ws`, speaking
// the subset of veza's /chat protocol (docs/protocol.md) that chat_load_bench uses, so the
// same tool can drive both servers:
//   - upgrade on /chat with ?access_token=<JWT>; the payload's `sub` is read, not verified
//     (this is the peer a user would otherwise pick); then {"type":"ack","id":null,...}
//   - {"type":"join","id":..,"room":..}  -> membership, ack
//   - {"type":"send","id":..,"room":..,"body":..,"client_msg_id":..} -> a `message` event to
//     every member of the room (the sender included), then the ack to the sender
//   - {"type":"ping"} -> {"type":"pong"}
// Nothing is stored. Usage: PORT=8091 node chat_peer.js  (or: node chat_peer.js 8091)
'use strict';

const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || process.env.PORT || 8091);
const host = process.env.HOST || '127.0.0.1';

const rooms = new Map(); // room name -> { members: Set<WebSocket>, lastId: number }

function userOf(token) {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    return typeof payload.sub === 'string' && payload.sub ? payload.sub : null;
  } catch {
    return null;
  }
}

function reply(ws, object) {
  ws.send(JSON.stringify(object));
}

function fail(ws, id, code, message) {
  reply(ws, { type: 'error', id, code, message });
}

function onRequest(ws, data) {
  let request;
  try {
    request = JSON.parse(data);
  } catch {
    return fail(ws, null, 'bad_request', 'invalid JSON');
  }
  const id = request.id === undefined ? null : request.id;
  switch (request.type) {
    case 'join': {
      if (typeof request.room !== 'string' || !request.room)
        return fail(ws, id, 'bad_request', 'missing room');
      let room = rooms.get(request.room);
      if (!room) {
        room = { members: new Set(), lastId: 0 };
        rooms.set(request.room, room);
      }
      room.members.add(ws);
      ws.rooms.add(request.room);
      return reply(ws, {
        type: 'ack', id, room: { name: request.room, last_message_id: room.lastId }, messages: [],
      });
    }
    case 'send': {
      const room = rooms.get(request.room);
      if (!room) return fail(ws, id, 'not_found', 'no such room');
      if (!room.members.has(ws)) return fail(ws, id, 'forbidden', 'not a member');
      if (typeof request.body !== 'string') return fail(ws, id, 'bad_request', 'missing body');
      const messageId = ++room.lastId;
      const createdAt = Date.now();
      // Serialised once, sent as the same buffer to every member.
      const event = Buffer.from(JSON.stringify({
        type: 'message', room: request.room, message_id: messageId, sender: ws.user,
        sender_name: ws.user, body: request.body, created_at: createdAt,
        client_msg_id: request.client_msg_id,
      }));
      for (const member of room.members) member.send(event, { binary: false });
      return reply(ws, {
        type: 'ack', id, room: request.room, message_id: messageId, created_at: createdAt,
        duplicate: false,
      });
    }
    case 'ping':
      return reply(ws, { type: 'pong' });
    default:
      return fail(ws, id, 'bad_request', 'unknown message type');
  }
}

const server = http.createServer((req, res) => {
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end('{"error":"not_found"}');
});

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  maxPayload: 64 * 1024,
  handleProtocols: (protocols) => (protocols.has('veza.chat.v1') ? 'veza.chat.v1' : false),
});

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/chat') {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const user = userOf(url.searchParams.get('access_token') || '');
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (!user) {
      fail(ws, null, 'unauthorized', 'malformed token');
      ws.close(4401, 'unauthorized');
      return;
    }
    ws.user = user;
    ws.rooms = new Set();
    ws.on('message', (data, isBinary) => {
      if (isBinary) return fail(ws, null, 'bad_request', 'expected text frames');
      onRequest(ws, data);
    });
    ws.on('close', () => {
      for (const name of ws.rooms) rooms.get(name)?.members.delete(ws);
    });
    ws.on('error', () => {});
    reply(ws, { type: 'ack', id: null, user, roles: [] });
  });
});

server.listen({ port, host, backlog: 4096 }, () => {
  console.log(`chat_peer: ws ${require('ws/package.json').version} listening on ws://${host}:${server.address().port}/chat`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
