// Which hosts are this computer: where plain http never crosses a network. Beside the layers,
// importing none: the key fetcher (jwt), the provider command and exercises start all ask it.

/** Whether a URL's hostname (brackets allowed) is loopback: localhost, ::1, or 127.x.y.z in dotted-quad form. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
