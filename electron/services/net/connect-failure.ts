import type { PeerCertificate, TLSSocket } from 'node:tls';

/*
 * How connecting can fail, in words a person can act on: a refused or reset socket, a rejected
 * certificate (naming its subject and issuer, and whose it is: the service's or the proxy's).
 */

/** The phases of a new connection, each timed apart. */
export type ConnectionPhase = 'dns' | 'connect' | 'tls';

/** A failure while connecting, with a stable code and a message a person can act on. */
export class ConnectFailure extends Error {
  readonly code: string;
  readonly phase: ConnectionPhase | 'proxy';
  constructor(code: string, phase: ConnectionPhase | 'proxy', message: string) {
    super(message);
    this.code = code;
    this.phase = phase;
  }
}

function describeName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return 'unknown';
  const parts: string[] = [];
  for (const key of ['CN', 'O', 'OU', 'L', 'ST', 'C'] as const) {
    const v = (name as unknown as Record<string, string | string[] | undefined>)[key];
    if (v !== undefined) parts.push(`${key}=${Array.isArray(v) ? v.join('+') : v}`);
  }
  return parts.length ? parts.join(', ') : 'unknown';
}

const tlsReasons: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed certificate that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not a trusted certificate authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not a trusted certificate authority',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not a trusted certificate authority',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is not issued for this host name',
  CERT_REVOKED: 'it has been revoked',
};

/** `peer` names whose certificate it is: the service's host, or `the proxy https://...`. */
export function certificateFailure(
  socket: TLSSocket,
  peer: string,
  phase: ConnectFailure['phase'],
  code: string,
): ConnectFailure {
  // Node answers an empty object when the peer sent no certificate.
  const cert: Partial<PeerCertificate> = socket.getPeerCertificate(false);
  const subject = describeName(cert.subject);
  const issuer = describeName(cert.issuer);
  const reason = tlsReasons[code] ?? `verification failed (${code})`;
  const dates =
    code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
      ? ` (valid ${String(cert.valid_from)} to ${String(cert.valid_to)})`
      : '';
  const names =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' && cert.subjectaltname ? ` (it names ${cert.subjectaltname})` : '';
  return new ConnectFailure(
    code,
    phase,
    `TLS certificate of ${peer} rejected: ${reason}${dates}${names}. Subject: ${subject}; issuer: ${issuer}. ` +
      'Add the issuing CA as an extra CA certificate, or turn TLS verification off to test anyway.',
  );
}

export function socketFailure(
  err: NodeJS.ErrnoException,
  phase: ConnectionPhase | 'proxy',
  where: string,
): ConnectFailure {
  const code = err.code ?? 'ECONNECT';
  const messages: Record<string, string> = {
    ECONNREFUSED: `${where} refused the connection: nothing is listening on that port`,
    ECONNRESET: `${where} reset the connection while connecting`,
    EHOSTUNREACH: `${where} is unreachable from this machine`,
    ENETUNREACH: `the network of ${where} is unreachable from this machine`,
    ETIMEDOUT: `connecting to ${where} timed out`,
  };
  return new ConnectFailure(code, phase, messages[code] ?? `connecting to ${where} failed: ${err.message}`);
}
