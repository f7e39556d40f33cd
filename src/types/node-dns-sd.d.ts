/** Types for node-dns-sd 1.0 (the package ships none). Only what gcrwatch uses. */
declare module 'node-dns-sd' {
  namespace dnsSd {
    /** A resource record as node-dns-sd parses it. */
    interface DnsSdRecord {
      name: string;
      /** `A`, `AAAA`, `PTR`, `SRV`, `TXT`, ... or `''` for a type it does not know. */
      type: string;
      /** A/AAAA: the address; PTR: the name; SRV: an object; TXT: `key=value` pairs as an object. */
      rdata:
        string | { priority: number; weight: number; port: number; target: string | null } | Record<string, string>;
    }
    interface DnsSdPacket {
      answers: DnsSdRecord[];
      authorities: DnsSdRecord[];
      additionals: DnsSdRecord[];
      /** The responder's address. */
      address: string;
    }
    interface DnsSdDevice {
      fqdn: string | null;
      address: string | null;
      packet: DnsSdPacket;
    }
    interface DiscoverParams {
      name: string | string[];
      /** Query type (`PTR`, `A`, ...) or `*` (ANY, the default). */
      type?: string;
      key?: 'address' | 'fqdn';
      /** Seconds to listen: a whole number, at least 1. */
      wait?: number;
      quick?: boolean;
      filter?: string | ((device: DnsSdDevice) => boolean);
    }
    interface DnsSd {
      discover(params: DiscoverParams): Promise<DnsSdDevice[]>;
    }
  }
  const dnsSd: dnsSd.DnsSd;
  export = dnsSd;
}
