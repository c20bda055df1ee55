/**
 * Name vocabularies for the fake tenant and for the attackers' user lists. A mix of origins, as in
 * a multinational with offices in the US, the UK and the Netherlands; accents are kept in display
 * names and folded in user principal names, as Entra admins usually do.
 */

export const TENANT_DOMAIN = 'contoso.com'

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Sandra', 'Mark', 'Margaret',
  'Steven', 'Ashley', 'Paul', 'Kimberly', 'Andrew', 'Emily', 'Joshua', 'Donna', 'Kenneth', 'Michelle',
  'Kevin', 'Carol', 'Brian', 'Amanda', 'George', 'Melissa', 'Timothy', 'Deborah', 'Ronald', 'Stephanie',
  'Jason', 'Rebecca', 'Edward', 'Laura', 'Jeffrey', 'Helen', 'Ryan', 'Sharon', 'Jacob', 'Cynthia',
  'Oliver', 'Amelia', 'Harry', 'Isla', 'Jack', 'Ava', 'Charlie', 'Mia', 'Noah', 'Grace',
  'Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Tess', 'Bram', 'Sanne', 'Thijs', 'Fleur',
  'José', 'María', 'Luis', 'Sofía', 'Carlos', 'Lucía', 'Andrés', 'Valentina', 'Mateo', 'Camila',
  'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Arjun', 'Priya', 'Rahul', 'Ananya', 'Omar', 'Fatima',
  'Chloé', 'Zoë', 'Søren', 'Björn', 'Siobhán', 'Ngozi', 'Kwame', 'Aisha', 'Mehmet', 'Elif',
] as const

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Evans', 'Hughes', 'Edwards', 'Wood', 'Murphy', 'Kelly', "O'Brien", 'Walsh', 'Byrne', 'Patel',
  'de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Vos',
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Dubois', 'Lefèvre', 'Moreau', 'Rossi', 'Bianchi',
  'Kowalski', 'Nowak', 'Novák', 'Horvat', 'Yılmaz', 'Kaya', 'Chen', 'Wang', 'Zhang', 'Kim',
  'Park', 'Tanaka', 'Sato', 'Sharma', 'Gupta', 'Singh', 'Okafor', 'Mensah', 'Haddad', 'Silva',
] as const

/** Shared mailboxes and admin accounts every spray list tries first. */
export const ROLE_NAMES = [
  'admin', 'administrator', 'it', 'helpdesk', 'support', 'servicedesk', 'info', 'hr', 'payroll', 'finance',
  'accounts', 'billing', 'sales', 'marketing', 'reception', 'office', 'test', 'test1', 'testuser', 'backup',
  'scanner', 'security', 'webmaster', 'noc', 'itadmin', 'sysadmin', 'ceo', 'cfo', 'careers', 'jobs',
] as const

/** 'José' → 'jose', "O'Brien" → 'obrien', 'de Vries' → 'devries': how contoso spells UPNs. */
export function upnPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/ø/g, 'o')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

export function upnOf(localPart: string): string {
  return `${localPart}@${TENANT_DOMAIN}`
}
