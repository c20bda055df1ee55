import { InvalidIpError, parseIp } from '@/lib/ips/get-ip-activity'
import { RequestError } from '@/lib/errors'
import { parseId } from './responses'

/** The {ip} segment of a route, validated (400 when it is not an address). */
export async function ipParam(params: Promise<{ ip: string }>): Promise<string> {
  try {
    return parseIp((await params).ip)
  } catch (error) {
    if (error instanceof InvalidIpError) throw new RequestError(400, error.message)
    throw error
  }
}

/** The {id} segment of a route as a positive integer (400 otherwise). */
export async function idParam(params: Promise<{ id: string }>, what: string): Promise<number> {
  const id = parseId((await params).id)
  if (id === null) throw new RequestError(400, `${what} id must be a positive integer`)
  return id
}
