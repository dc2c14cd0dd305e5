namespace Paygo.Core.Billing;

/// <summary>
/// The database's own guard of PROMISES M6: once an invoice is closed, no statement (EF, raw SQL,
/// another tool) may change or delete it, nor add to, change or delete its lines, billed usage
/// or files. Each engine's migration creates these (docs/adr/0036); a closed invoice is the only
/// state the triggers look at, so drafts stay free to be redone.
/// </summary>
public static class InvoiceTriggers
{
    /// <summary>The message both engines abort with, which tests look for.</summary>
    public const string Message = "paygo: a closed invoice cannot be changed";

    private static readonly string[] Children = ["InvoiceLines", "BilledUsage", "InvoiceFiles"];

    public static string Sqlite
    {
        get
        {
            var sql = new System.Text.StringBuilder();
            sql.Append($"""
                CREATE TRIGGER "Invoices_closed_update" BEFORE UPDATE ON "Invoices" WHEN OLD."IsClosed" = 1
                BEGIN SELECT RAISE(ABORT, '{Message}'); END;
                CREATE TRIGGER "Invoices_closed_delete" BEFORE DELETE ON "Invoices" WHEN OLD."IsClosed" = 1
                BEGIN SELECT RAISE(ABORT, '{Message}'); END;

                """);
            foreach (var table in Children)
            {
                sql.Append($"""
                    CREATE TRIGGER "{table}_closed_insert" BEFORE INSERT ON "{table}"
                    WHEN (SELECT "IsClosed" FROM "Invoices" WHERE "Key" = NEW."InvoiceKey") = 1
                    BEGIN SELECT RAISE(ABORT, '{Message}'); END;
                    CREATE TRIGGER "{table}_closed_update" BEFORE UPDATE ON "{table}"
                    WHEN (SELECT "IsClosed" FROM "Invoices" WHERE "Key" = OLD."InvoiceKey") = 1
                    BEGIN SELECT RAISE(ABORT, '{Message}'); END;
                    CREATE TRIGGER "{table}_closed_delete" BEFORE DELETE ON "{table}"
                    WHEN (SELECT "IsClosed" FROM "Invoices" WHERE "Key" = OLD."InvoiceKey") = 1
                    BEGIN SELECT RAISE(ABORT, '{Message}'); END;

                    """);
            }

            return sql.ToString();
        }
    }

    public static string Postgres
    {
        get
        {
            var sql = new System.Text.StringBuilder();
            sql.Append($$"""
                CREATE FUNCTION paygo_refuse_closed_invoice() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                  IF OLD."IsClosed" THEN RAISE EXCEPTION '{{Message}}'; END IF;
                  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                  RETURN NEW;
                END $body$;
                CREATE TRIGGER "Invoices_closed" BEFORE UPDATE OR DELETE ON "Invoices"
                FOR EACH ROW EXECUTE FUNCTION paygo_refuse_closed_invoice();
                CREATE FUNCTION paygo_refuse_closed_invoice_child() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                  IF TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM "Invoices" WHERE "Key" = NEW."InvoiceKey" AND "IsClosed") THEN
                    RAISE EXCEPTION '{{Message}}';
                  END IF;
                  IF TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM "Invoices" WHERE "Key" = OLD."InvoiceKey" AND "IsClosed") THEN
                    RAISE EXCEPTION '{{Message}}';
                  END IF;
                  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                  RETURN NEW;
                END $body$;

                """);
            foreach (var table in Children)
            {
                sql.Append($"""
                    CREATE TRIGGER "{table}_closed" BEFORE INSERT OR UPDATE OR DELETE ON "{table}"
                    FOR EACH ROW EXECUTE FUNCTION paygo_refuse_closed_invoice_child();

                    """);
            }

            return sql.ToString();
        }
    }

    /// <summary>Drops what <see cref="Postgres"/> created (the triggers go with their tables; the functions do not).</summary>
    public const string DropPostgres = """
        DROP TRIGGER IF EXISTS "Invoices_closed" ON "Invoices";
        DROP TRIGGER IF EXISTS "InvoiceLines_closed" ON "InvoiceLines";
        DROP TRIGGER IF EXISTS "BilledUsage_closed" ON "BilledUsage";
        DROP TRIGGER IF EXISTS "InvoiceFiles_closed" ON "InvoiceFiles";
        DROP FUNCTION IF EXISTS paygo_refuse_closed_invoice();
        DROP FUNCTION IF EXISTS paygo_refuse_closed_invoice_child();
        """;
}
