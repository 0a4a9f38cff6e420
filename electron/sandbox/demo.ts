/**
 * The first-run content of a new sandbox: database `demo` and a small, recent sample data set.
 * Timestamps are relative to now because the InfluxQL metadata lookback is 24 h (spec §10.1).
 */

/** Line protocol for the last two hours: `cpu` per host and region every minute, `home` every 10 min. */
export function demoLineProtocol(nowMs: number): string {
  const lines: string[] = [];
  const minute = 60_000;
  const end = Math.floor(nowMs / minute) * minute;
  const hosts: [string, string, number][] = [
    ['server01', 'us-west', 0.35],
    ['server02', 'us-west', 0.55],
    ['server03', 'eu-central', 0.25],
  ];
  for (let i = 119; i >= 0; i--) {
    const t = end - i * minute;
    for (const [h, [host, region, base]] of hosts.entries()) {
      const wave = Math.sin((t / minute + h * 7) / 9) * 0.15;
      const usage = Math.round((base + wave + ((i * 37 + h * 11) % 10) / 200) * 1000) / 10;
      lines.push(
        `cpu,host=${host},region=${region} usage_user=${usage},usage_system=${Math.round(usage * 3) / 10} ${t}`,
      );
    }
    if (i % 10 === 0) {
      for (const [r, room] of ['kitchen', 'living_room'].entries()) {
        const temp = Math.round((21 + r + Math.sin(t / (37 * minute)) * 1.5) * 10) / 10;
        const hum = Math.round((35 + r * 3 + Math.cos(t / (29 * minute)) * 2) * 10) / 10;
        lines.push(`home,room=${room} temp=${temp},hum=${hum},co=${(i / 10 + r) % 3}i ${t}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
