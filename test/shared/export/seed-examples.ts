/**
 * The curl examples of the seed docs (../shared/seeds/compatibility-apis-write.md), copied verbatim:
 * the generator must reproduce each one from the same request.
 */
export const SEED_CURL = {
  bearerV2: `curl -i "https://cluster-id.a.influxdb.io/api/v2/write?bucket=DATABASE_NAME&precision=s" \\
    --header "Authorization: Bearer DATABASE_TOKEN" \\
    --header "Content-type: text/plain; charset=utf-8" \\
    --data-binary 'home,room=kitchen temp=72 1641024000'`,
  tokenV2: `curl -i "https://cluster-id.a.influxdb.io/api/v2/write?bucket=DATABASE_NAME&precision=s" \\
    --header "Authorization: Token DATABASE_TOKEN" \\
    --header "Content-type: text/plain; charset=utf-8" \\
    --data-binary 'home,room=kitchen temp=72 1641024000'`,
  basicV1: `curl -i "https://cluster-id.a.influxdb.io/write?db=DATABASE_NAME&precision=s" \\
  --user "any:DATABASE_TOKEN" \\
  --header "Content-type: text/plain; charset=utf-8" \\
  --data-binary 'home,room=kitchen temp=72 1641024000'`,
  queryV1: `curl -i "https://cluster-id.a.influxdb.io/write?db=DATABASE_NAME&precision=s&p=DATABASE_TOKEN" \\
  --header "Content-type: text/plain; charset=utf-8" \\
  --data-binary 'home,room=kitchen temp=72 1641024000'`,
  bearerV1: `curl -i "https://cluster-id.a.influxdb.io/write?db=DATABASE_NAME&precision=s" \\
    --header "Authorization: Bearer DATABASE_TOKEN" \\
    --header "Content-type: text/plain; charset=utf-8" \\
    --data-binary 'home,room=kitchen temp=72 1641024000'`,
  tokenV1: `curl -i "https://cluster-id.a.influxdb.io/write?db=DATABASE_NAME&precision=s" \\
    --header "Authorization: Token DATABASE_TOKEN" \\
    --header "Content-type: text/plain; charset=utf-8" \\
    --data-binary 'home,room=kitchen temp=72 1641024000'`,
} as const;

/** The seeds' Telegraf block (compatibility-apis-write.md), verbatim. */
export const SEED_TELEGRAF_V1 = `[[outputs.influxdb]]
  urls = ["https://cluster-id.a.influxdb.io"]
  database = "DATABASE_NAME"
  skip_database_creation = true
  retention_policy = ""
  username = "ignored"
  password = "DATABASE_TOKEN"
  content_encoding = "gzip"
`;
