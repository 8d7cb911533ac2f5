import { sql, type Kysely } from 'kysely';

/**
 * Whether a brand has a site user with this email (blind index), for a new customer's prepared
 * insert statement (customers/customer.repository.ts): only then does the create look further and
 * link. The look is dynamic SQL, so it is planned on every call against the table as it is then.
 * Written in the prepared statement itself, its plan would be a generic plan made once per
 * connection: made while the brand had no site users, that plan reads them by primary key and keeps
 * doing so as they grow, since without ANALYZE nothing invalidates it (51 ms a call at 200,000
 * users, measured). Planning this one-table look costs about 40 µs; a round trip of its own cost
 * more.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION paydesk_site_user_with_email(p_merchant_id text, p_email_bidx bytea) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT AS $$
    DECLARE
      found boolean;
    BEGIN
      EXECUTE 'SELECT EXISTS (SELECT 1 FROM site_users WHERE merchant_id = $1 AND email_bidx = $2)'
        INTO found USING p_merchant_id, p_email_bidx;
      RETURN found;
    END $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
