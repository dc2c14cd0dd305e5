using static Paygo.Rating.Files.ColumnType;

namespace Paygo.Rating.Files;

/// <summary>
/// The access file (DOMAIN.md §10): <c>paygo access export</c> writes it, file mode's
/// <c>--access</c> reads it. One row per role assignment or deny; <c>Start</c> and <c>End</c> are
/// UTC instants, <c>End</c> empty while the assignment is open. The reader and writer come with
/// the access issue; the table is ready to drive them (<see cref="CsvTableReader"/>).
/// </summary>
public static class AccessFile
{
    public static ColumnTable Table { get; } = new(
        "access",
        [
            new("AssignmentId", Text, required: true),
            new("Kind", Choice, required: true, choices: ["allow", "deny"]),
            new("PrincipalType", Choice, required: true, choices: ["foreignPrincipal", "user", "servicePrincipal", "lighthouse"]),
            new("PrincipalId", Text, required: true),
            // The PartnerID (MPN id) the principal acts for; empty when none.
            new("PartnerId", Text),
            new("RoleDefinitionName", Text, required: true),
            new("Scope", Text, required: true),
            new("Start", Date, required: true),
            new("End", Date),
        ]);
}
