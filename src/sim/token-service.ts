/**
 * What the registry token endpoint and the OAuth endpoint share: an HTTP listener, a bounded
 * request log, the lifetime of the tokens they issue, and service faults switchable at runtime.
 */
import { applyListenerFault, type HttpHost, type ServiceFault } from './http-host.js';
import { pushBounded, type PeerAddress } from './lifecycle.js';

/** Base of {@link TokenServer} and {@link OAuthServer}; `R` is the request record type. */
export abstract class TokenService<R extends object> {
  /** Requests received (the last 10 000), oldest first. Secrets are never recorded. */
  readonly requests: R[] = [];
  /** Lifetime in seconds of tokens issued from now on. */
  expiresIn: number;
  protected fault: ServiceFault = 'none';

  protected constructor(
    protected readonly host: HttpHost,
    expiresIn: number,
  ) {
    this.expiresIn = expiresIn;
  }

  /** Where the service listens. */
  get address(): PeerAddress {
    return this.host.address;
  }

  /** `https://host:port` of this listener. */
  get url(): string {
    return this.host.url;
  }

  /** Sets the lifetime (seconds) of tokens issued from now on; a method, so it works remotely too. */
  setExpiresIn(seconds: number): void {
    this.expiresIn = seconds;
  }

  /** Switches the fault: `down` stops listening; `html`, `hang`, `error500` answer so; `none` heals. */
  async setFault(fault: ServiceFault): Promise<void> {
    this.fault = fault;
    await applyListenerFault(this.host, fault);
  }

  /** A JSON-safe snapshot of the requests and the fault in force. */
  stats(): { requests: R[]; fault: ServiceFault } {
    return { requests: this.requests.map((request) => ({ ...request })), fault: this.fault };
  }

  /** Stops listening and destroys every connection. Idempotent. */
  close(): Promise<void> {
    return this.host.close();
  }

  /** Appends a request record (bounded) and returns it for the handler to complete. */
  protected record(entry: R): R {
    pushBounded(this.requests, entry);
    return entry;
  }
}
