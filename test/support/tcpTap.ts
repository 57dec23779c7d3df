// A transparent TCP relay between a reverse proxy and the engine, to see what happens on the proxy's
// upstream connections: how many there are, what each carried, and which side closed it. The bytes pass
// through unchanged; it only watches.
import net from "node:net";

export interface TappedConnection {
  id: number;
  /** What the proxy sent upstream on it (latin1, first 4 MiB). */
  upstream: string;
  /** What the engine answered on it (latin1, first 1 MiB). */
  downstream: string;
  /** Who closed it first: the engine ("server"), the proxy ("client"), or nobody yet. */
  closedBy: "server" | "client" | null;
}

export interface TcpTap {
  port: number;
  connections: TappedConnection[];
  close(): Promise<void>;
}

/** Relays 127.0.0.1:<tap port> to 127.0.0.1:<targetPort>. */
export async function startTcpTap(targetPort: number): Promise<TcpTap> {
  const connections: TappedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const record: TappedConnection = { id: connections.length + 1, upstream: "", downstream: "", closedBy: null };
    connections.push(record);
    const engine = net.connect(targetPort, "127.0.0.1");
    for (const socket of [client, engine]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        engine.destroy();
      });
    }
    client.on("data", (chunk) => {
      if (record.upstream.length < 4 * 1024 * 1024) record.upstream += chunk.toString("latin1");
      engine.write(chunk);
    });
    engine.on("data", (chunk) => {
      if (record.downstream.length < 1024 * 1024) record.downstream += chunk.toString("latin1");
      client.write(chunk);
    });
    engine.on("end", () => {
      record.closedBy ??= "server";
      client.end();
    });
    client.on("end", () => {
      record.closedBy ??= "client";
      engine.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("tap has no port");
  return {
    port: address.port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Requests sent on a connection (request lines at the start of a message, as the proxy framed them). */
export function requestLines(connection: TappedConnection): string[] {
  return connection.upstream.match(/(?:^|\r\n\r\n)(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP\/1\.1\r\n/g) ?? [];
}
