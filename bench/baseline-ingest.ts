import { createServer } from "node:http";
import pg from "pg";

// The ingest baseline: a bare node:http server that parses the same JSON and performs the same writes
// (the event row and the lead upsert, in one transaction) with pg. No auth, no validation, no framework.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const [workspaceId, port] = [process.env.BENCH_WORKSPACE_ID, Number(process.env.PORT ?? 3401)];

createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(200).end("baseline");
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    const client = await pool.connect();
    try {
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      await client.query("begin");
      const lead = await client.query(
        `insert into leads (process_id, external_id, status, sequence) values ($1, $2, $3, 1)
         on conflict (process_id, external_id) do update set status = excluded.status, sequence = leads.sequence + 1
         returning id, sequence`,
        [event.processId, event.lead.id, event.lead.status ?? null],
      );
      await client.query(
        `insert into events (workspace_id, process_id, external_id, type, occurred_at, payload, lead_id, lead_sequence)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
        [
          workspaceId,
          event.processId,
          event.id,
          event.type,
          event.occurredAt,
          event,
          lead.rows[0].id,
          lead.rows[0].sequence,
        ],
      );
      await client.query("commit");
      res
        .writeHead(202, { "content-type": "application/json" })
        .end(JSON.stringify({ accepted: [event.id] }));
    } catch (error) {
      await client.query("rollback").catch(() => {});
      res.writeHead(500).end(String(error));
    } finally {
      client.release();
    }
  });
}).listen(port, "127.0.0.1", () => console.log(`baseline listening on ${port}`));
