// The load driver's small HTTP/1.1 client reads what real servers send: a body with a length, a
// chunked body, a body that ends with the connection, several cookies, and no body at all. It
// keeps one connection per origin, opens a new one when the server closes it, and connects from a
// given local address (the memory bench speaks from many loopback addresses).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Client } from '../../bench/http-client.mjs';

let server: Server;
let origin: string;
let connections = 0;
let lastRemoteAddress: string | undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      switch (new URL(request.url!, 'http://localhost').pathname) {
        case '/length':
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength('{"ok":"✓"}') });
          return response.end('{"ok":"✓"}');
        case '/chunked':
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.write('first part, ');
          return setTimeout(() => response.end('second part'), 5);
        case '/cookies':
          response.writeHead(302, { location: '/next', 'set-cookie': ['a=1; Path=/', 'b=2; HttpOnly'], 'content-length': 0 });
          return response.end();
        case '/none':
          response.writeHead(204);
          return response.end();
        case '/close':
          response.writeHead(200, { connection: 'close', 'content-length': 3 });
          return response.end('bye');
        case '/until-close':
          // No length and not chunked: the body is whatever comes before the connection closes.
          response.socket!.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nall of it');
          return;
        default:
          response.writeHead(200, { 'content-length': Buffer.byteLength(`${request.method} ${request.headers.host} ${body}`) });
          return response.end(`${request.method} ${request.headers.host} ${body}`);
      }
    });
  });
  server.on('connection', (socket) => {
    connections++;
    lastRemoteAddress = socket.remoteAddress;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('bodies with a length, chunked, none, and until the connection closes', async () => {
  const client = new Client();
  const length = await client.send('GET', `${origin}/length`);
  expect(length).toMatchObject({ status: 200, body: '{"ok":"✓"}' });
  expect(length.headers['content-type']).toBe('application/json');
  expect(await client.send('GET', `${origin}/chunked`)).toMatchObject({ status: 200, body: 'first part, second part' });
  expect(await client.send('GET', `${origin}/none`)).toMatchObject({ status: 204, body: '' });
  expect(await client.send('GET', `${origin}/until-close`)).toMatchObject({ status: 200, body: 'all of it' });
  client.close();
});

test('every set-cookie header, and the request line, host and body as sent', async () => {
  const client = new Client();
  const redirect = await client.send('GET', `${origin}/cookies?x=1`);
  expect(redirect.status).toBe(302);
  expect(redirect.headers.location).toBe('/next');
  expect(redirect.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  const echo = await client.send('POST', `${origin}/echo`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=ü' });
  expect(echo.body).toBe(`POST ${new URL(origin).host} a=1&b=ü`);
  client.close();
});

test('one keep-alive connection per origin; a new one after the server closes it', async () => {
  const client = new Client();
  const before = connections;
  await client.send('GET', `${origin}/length`);
  await client.send('GET', `${origin}/length`);
  expect(connections - before).toBe(1);
  expect((await client.send('GET', `${origin}/close`)).body).toBe('bye');
  await client.send('GET', `${origin}/length`);
  expect(connections - before).toBe(2);
  client.close();
});

test('connects from the localAddress it is given, else from the default address', async () => {
  const elsewhere = new Client({ localAddress: '127.0.3.4' });
  expect((await elsewhere.send('GET', `${origin}/length`)).status).toBe(200);
  expect(lastRemoteAddress).toBe('127.0.3.4');
  elsewhere.close();
  const plain = new Client();
  await plain.send('GET', `${origin}/length`);
  expect(lastRemoteAddress).toBe('127.0.0.1');
  plain.close();
});

test('a refused connection rejects with the error', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await expect(new Client().send('GET', `http://127.0.0.1:${port}/`)).rejects.toThrow(/ECONNREFUSED/);
});
