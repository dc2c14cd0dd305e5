namespace Paygo.Core.Access;

/// <summary>
/// The access ledger's rule (docs/adr/0027, 0038) as database triggers, so that the history PEC
/// is computed from stays append-only even for writes that bypass <see cref="AccessLedger.Check"/>:
/// <c>ExecuteUpdate</c>/<c>ExecuteDelete</c>, raw SQL, another tool on the database. The ledger is
/// three tables: <c>RoleAssignments</c> (allow and deny assignments: never deleted; the only
/// update is setting an open record's <c>ValidTo</c>, once, at or after its start, with every other
/// column unchanged), and <c>AccessRoleDefinitions</c> and <c>AccessRoleEligibilityMarks</c>
/// (insert only). The migrations <c>F_AccessLedgerAppendOnly</c> of both engines run
/// <see cref="SqliteCreate"/> and <see cref="PostgresCreate"/>; the text lives here, not in the
/// migrations, so the tests, a migration that must rebuild one of these tables, and a fixture that
/// shapes a history "as imported" all use the one definition.
/// </summary>
public static class AccessLedgerSql
{
    /// <summary>The words every refusal starts with, on both engines.</summary>
    public const string RefusalPrefix = "access ledger is append-only";

    /// <summary>
    /// Every column of <c>RoleAssignments</c> but <c>ValidTo</c>. SQLite has no row comparison, so
    /// its update trigger names them; <c>AccessLedgerTriggerTests</c> walks the EF model and fails
    /// when a new column is missing here (PostgreSQL compares the whole row and needs no list).
    /// </summary>
    public static IReadOnlyList<string> FrozenAssignmentColumns { get; } =
    [
        "Id", "PartnerId", "CustomerId", "EntitlementId", "ExternalId", "Kind", "Scope", "RoleDefinitionId", "RoleName",
        "PrincipalId", "PrincipalType", "PrincipalDisplayName", "ActsForPartnerId", "Source", "ValidFrom", "Corrects",
        "RecordedAt", "RecordedBy",
    ];

    private static readonly string[] InsertOnlyTables = ["AccessRoleDefinitions", "AccessRoleEligibilityMarks"];

    /// <summary>
    /// SQLite's triggers. <c>RAISE(ABORT)</c> undoes the statement and fails it with
    /// SQLITE_CONSTRAINT. A table rebuild by a later EF migration (SQLite's way to alter a column)
    /// drops a table's triggers with it: such a migration must run <see cref="SqliteCreate"/> again,
    /// and the trigger tests, which run on the fully migrated database, catch one that does not.
    /// </summary>
    public static string SqliteCreate
    {
        get
        {
            var unchanged = string.Join(" AND ", FrozenAssignmentColumns.Select(c => $"NEW.\"{c}\" IS OLD.\"{c}\""));
            var sql = $"""
                CREATE TRIGGER "AccessLedger_RoleAssignments_NoDelete" BEFORE DELETE ON "RoleAssignments"
                BEGIN SELECT RAISE(ABORT, '{RefusalPrefix}: RoleAssignments records are never deleted; end the assignment or record a correction that names it'); END;
                CREATE TRIGGER "AccessLedger_RoleAssignments_EndOnce" BEFORE UPDATE ON "RoleAssignments"
                WHEN NOT (OLD."ValidTo" IS NULL AND NEW."ValidTo" IS NOT NULL AND NEW."ValidTo" >= OLD."ValidFrom" AND {unchanged})
                BEGIN SELECT RAISE(ABORT, '{RefusalPrefix}: a RoleAssignments record only takes its end, once, at or after its start; record a correction instead'); END;

                """;
            foreach (var table in InsertOnlyTables)
            {
                sql += $"""
                    CREATE TRIGGER "AccessLedger_{table}_NoDelete" BEFORE DELETE ON "{table}"
                    BEGIN SELECT RAISE(ABORT, '{RefusalPrefix}: {table} records are never deleted; add a new one'); END;
                    CREATE TRIGGER "AccessLedger_{table}_NoUpdate" BEFORE UPDATE ON "{table}"
                    BEGIN SELECT RAISE(ABORT, '{RefusalPrefix}: {table} records are never changed; add a new one'); END;

                    """;
            }

            return sql;
        }
    }

    /// <summary>Drops what <see cref="SqliteCreate"/> made (the migration's Down).</summary>
    public static string SqliteDrop =>
        string.Concat(TriggerNames.Select(n => $"DROP TRIGGER IF EXISTS \"{n}\";\n"));

    /// <summary>
    /// PostgreSQL's triggers: row triggers for UPDATE and DELETE and a statement trigger for
    /// TRUNCATE (which row triggers do not see). The update check compares the whole row as JSON
    /// without <c>ValidTo</c>, so a column added later is frozen too without touching this.
    /// </summary>
    public static string PostgresCreate
    {
        get
        {
            var sql = $"""
                CREATE OR REPLACE FUNCTION paygo_access_ledger_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    RAISE EXCEPTION '{RefusalPrefix}: % on % is refused; records are only added (an assignment may take its end once)', TG_OP, TG_TABLE_NAME
                        USING ERRCODE = 'restrict_violation';
                END
                $fn$;
                CREATE OR REPLACE FUNCTION paygo_access_ledger_end_once() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF OLD."ValidTo" IS NULL AND NEW."ValidTo" IS NOT NULL AND NEW."ValidTo" >= OLD."ValidFrom"
                       AND (to_jsonb(NEW) - 'ValidTo') = (to_jsonb(OLD) - 'ValidTo') THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION '{RefusalPrefix}: a RoleAssignments record only takes its end, once, at or after its start; record a correction instead (record %)', OLD."Id"
                        USING ERRCODE = 'restrict_violation';
                END
                $fn$;
                CREATE TRIGGER "AccessLedger_RoleAssignments_NoDelete" BEFORE DELETE ON "RoleAssignments" FOR EACH ROW EXECUTE FUNCTION paygo_access_ledger_refuse();
                CREATE TRIGGER "AccessLedger_RoleAssignments_NoTruncate" BEFORE TRUNCATE ON "RoleAssignments" FOR EACH STATEMENT EXECUTE FUNCTION paygo_access_ledger_refuse();
                CREATE TRIGGER "AccessLedger_RoleAssignments_EndOnce" BEFORE UPDATE ON "RoleAssignments" FOR EACH ROW EXECUTE FUNCTION paygo_access_ledger_end_once();

                """;
            foreach (var table in InsertOnlyTables)
            {
                sql += $"""
                    CREATE TRIGGER "AccessLedger_{table}_NoChange" BEFORE UPDATE OR DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION paygo_access_ledger_refuse();
                    CREATE TRIGGER "AccessLedger_{table}_NoTruncate" BEFORE TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION paygo_access_ledger_refuse();

                    """;
            }

            return sql;
        }
    }

    /// <summary>Drops what <see cref="PostgresCreate"/> made (the migration's Down).</summary>
    public static string PostgresDrop =>
        """
        DROP TRIGGER IF EXISTS "AccessLedger_RoleAssignments_NoDelete" ON "RoleAssignments";
        DROP TRIGGER IF EXISTS "AccessLedger_RoleAssignments_NoTruncate" ON "RoleAssignments";
        DROP TRIGGER IF EXISTS "AccessLedger_RoleAssignments_EndOnce" ON "RoleAssignments";
        DROP TRIGGER IF EXISTS "AccessLedger_AccessRoleDefinitions_NoChange" ON "AccessRoleDefinitions";
        DROP TRIGGER IF EXISTS "AccessLedger_AccessRoleDefinitions_NoTruncate" ON "AccessRoleDefinitions";
        DROP TRIGGER IF EXISTS "AccessLedger_AccessRoleEligibilityMarks_NoChange" ON "AccessRoleEligibilityMarks";
        DROP TRIGGER IF EXISTS "AccessLedger_AccessRoleEligibilityMarks_NoTruncate" ON "AccessRoleEligibilityMarks";
        DROP FUNCTION IF EXISTS paygo_access_ledger_end_once();
        DROP FUNCTION IF EXISTS paygo_access_ledger_refuse();
        """;

    private static IEnumerable<string> TriggerNames =>
        ["AccessLedger_RoleAssignments_NoDelete", "AccessLedger_RoleAssignments_EndOnce",
            .. InsertOnlyTables.SelectMany(t => new[] { $"AccessLedger_{t}_NoDelete", $"AccessLedger_{t}_NoUpdate" })];
}
