// The load driver's HTTP/1.1 client: one keep-alive connection per origin, one request at a time,
// as a browser tab or an app's HTTP client would use it. It is deliberately small: the driver
// shares the machine's cores with the provider it measures, so every bit of CPU it spends on
// itself is taken from the provider. Node's http client costs about three times as much per
// request; the CPU the driver uses per flow is printed next to the results.

import { connect } from 'node:net';

const HEADERS_END = Buffer.from('\r\n\r\n');
const LINE_END = Buffer.from('\r\n');

class Connection {
  #origin;
  #localAddress;
  #socket;
  #buffer = Buffer.alloc(0);
  #pending;
  #head;

  constructor(origin, localAddress) {
    this.#origin = new URL(origin);
    this.#localAddress = localAddress;
  }

  request(method, path, headers, body) {
    if (this.#pending) return Promise.reject(new Error('one request at a time on a connection'));
    if (!this.#socket) this.#open();
    return new Promise((resolve, reject) => {
      this.#pending = { method, resolve, reject };
      let text = `${method} ${path} HTTP/1.1\r\nhost: ${this.#origin.host}\r\n`;
      for (const name in headers) text += `${name}: ${headers[name]}\r\n`;
      if (body !== undefined) text += `content-length: ${Buffer.byteLength(body)}\r\n`;
      this.#socket.write(`${text}\r\n${body ?? ''}`);
    });
  }

  close() {
    this.#socket?.destroy();
  }

  #open() {
    const socket = connect({ port: Number(this.#origin.port || 80), host: this.#origin.hostname, localAddress: this.#localAddress });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
      this.#parse(false);
    });
    // Events from a connection this client already let go of concern no request of its own.
    socket.on('error', (error) => {
      if (this.#socket === socket) this.#fail(error);
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      // A body that runs until the connection closes ends here; anything else was cut short.
      if (this.#pending && this.#head?.untilClose) this.#parse(true);
      this.#fail(new Error('the server closed the connection mid-response'));
    });
    this.#socket = socket;
    this.#buffer = Buffer.alloc(0);
    this.#head = undefined;
  }

  #fail(error) {
    const pending = this.#pending;
    this.#pending = undefined;
    this.#head = undefined;
    pending?.reject(error);
  }

  #parse(closed) {
    if (!this.#pending) return;
    if (!this.#head) {
      const end = this.#buffer.indexOf(HEADERS_END);
      if (end === -1) return;
      const lines = this.#buffer.toString('latin1', 0, end).split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const headers = {};
      for (let index = 1; index < lines.length; index++) {
        const colon = lines[index].indexOf(':');
        const name = lines[index].slice(0, colon).trim().toLowerCase();
        const value = lines[index].slice(colon + 1).trim();
        if (name === 'set-cookie') (headers[name] ??= []).push(value);
        else headers[name] = value;
      }
      this.#buffer = this.#buffer.subarray(end + HEADERS_END.length);
      const bodiless = this.#pending.method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
      const chunked = /\bchunked\b/i.test(headers['transfer-encoding'] ?? '');
      this.#head = { status, headers, bodiless, chunked, length: headers['content-length'] === undefined ? undefined : Number(headers['content-length']), untilClose: !bodiless && !chunked && headers['content-length'] === undefined };
    }
    const head = this.#head;
    let body;
    if (head.bodiless) body = Buffer.alloc(0);
    else if (head.length !== undefined) {
      if (this.#buffer.length < head.length) return;
      body = this.#buffer.subarray(0, head.length);
      this.#buffer = this.#buffer.subarray(head.length);
    } else if (head.chunked) {
      const parsed = readChunked(this.#buffer);
      if (!parsed) return;
      body = parsed.body;
      this.#buffer = this.#buffer.subarray(parsed.consumed);
    } else {
      if (!closed) return;
      body = this.#buffer;
      this.#buffer = Buffer.alloc(0);
    }
    const pending = this.#pending;
    this.#pending = undefined;
    this.#head = undefined;
    if (/\bclose\b/i.test(head.headers.connection ?? '') || head.untilClose) {
      this.#socket?.destroy();
      this.#socket = undefined;
    }
    pending.resolve({ status: head.status, headers: head.headers, body: body.toString() });
  }
}

/** A whole chunked body, or undefined while more bytes are needed (trailers are skipped). */
function readChunked(buffer) {
  const chunks = [];
  let offset = 0;
  for (;;) {
    const lineEnd = buffer.indexOf(LINE_END, offset);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(buffer.toString('latin1', offset, lineEnd).split(';')[0], 16);
    if (Number.isNaN(size)) throw new Error('a malformed chunk size');
    offset = lineEnd + 2;
    if (size === 0) {
      const end = buffer.indexOf(LINE_END, offset) === offset ? offset : buffer.indexOf(HEADERS_END, offset);
      if (end === -1) return undefined;
      return { body: Buffer.concat(chunks), consumed: end === offset ? offset + 2 : end + 4 };
    }
    if (buffer.length < offset + size + 2) return undefined;
    chunks.push(buffer.subarray(offset, offset + size));
    offset += size + 2;
  }
}

/** One virtual user (a browser plus an app): a connection per origin, reused across flows. */
export class Client {
  #connections = new Map();
  #localAddress;

  /** `localAddress`: the address to connect from (on Linux any of 127.0.0.0/8 reaches a loopback server), as another computer would. */
  constructor({ localAddress } = {}) {
    this.#localAddress = localAddress;
  }

  /** Sends one request and resolves to {status, headers (lower-case names; set-cookie a list), body}. */
  send(method, url, { headers = {}, body } = {}) {
    const target = new URL(url);
    let connection = this.#connections.get(target.origin);
    if (!connection) this.#connections.set(target.origin, (connection = new Connection(target.origin, this.#localAddress)));
    return connection.request(method, target.pathname + target.search, headers, body);
  }

  close() {
    for (const connection of this.#connections.values()) connection.close();
  }
}
