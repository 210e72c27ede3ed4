import { createSocket } from "node:dgram";

/**
 * A DNS server on 127.0.0.1 (UDP) for tests, used through CALLBACK_DNS_SERVERS. It answers A queries from
 * `answers`: one address, or a list handed out in turn, one per query (an answer that changes between two
 * lookups). AAAA and unknown names get an empty answer. It counts the A queries per name.
 */
export async function startDnsServer() {
  const answers = new Map<string, string | string[]>();
  const queries = new Map<string, number>();
  const socket = createSocket("udp4");

  function reply(query: Buffer): Buffer {
    let offset = 12;
    const labels: string[] = [];
    while (query[offset]) {
      const length = query[offset] as number;
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString());
      offset += length + 1;
    }
    const name = labels.join(".").toLowerCase();
    const question = query.subarray(12, offset + 5);
    const type = query.readUInt16BE(offset + 1);
    let address: string | undefined;
    if (type === 1) {
      const n = queries.get(name) ?? 0;
      queries.set(name, n + 1);
      const answer = answers.get(name);
      address = Array.isArray(answer) ? answer[n % answer.length] : answer;
    }
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(address ? 1 : 0, 6);
    if (!address) return Buffer.concat([header, question]);
    const record = [0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, ...address.split(".").map(Number)];
    return Buffer.concat([header, question, Buffer.from(record)]);
  }

  socket.on("message", (message, from) => socket.send(reply(message), from.port, from.address));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    /** host:port, as CALLBACK_DNS_SERVERS takes it. */
    address: `127.0.0.1:${socket.address().port}`,
    answers,
    /** A queries asked for `name` so far. */
    queriesFor: (name: string) => queries.get(name) ?? 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
