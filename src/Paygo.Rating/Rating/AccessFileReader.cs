using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Paygo.Rating.Access;
using Paygo.Rating.Files;

namespace Paygo.Rating.Rating;

/// <summary>
/// Reads the access file of DOMAIN.md §10 (<see cref="AccessFile"/>) into the history PEC is
/// decided from, all or nothing like every Paygo file. A role name that is not built in is a
/// custom role, not eligible (reference §3.3: only the operator can mark one eligible, and a
/// file cannot); its id is derived from its name so the same file always gives the same history.
/// </summary>
public static class AccessFileReader
{
    public static FileReadResult<AccessHistory> Read(Stream stream, CancellationToken cancellationToken = default)
    {
        var cells = CsvTableReader.Read(stream, AccessFile.Table, cancellationToken);
        if (!cells.Succeeded)
        {
            return FileReadResult<AccessHistory>.Failure(cells.Problems, cells.ProblemCount);
        }

        var table = AccessFile.Table;
        var problems = new ProblemCollector();
        var allows = new List<RoleAssignment>();
        var denies = new List<DenyAssignment>();
        var custom = new Dictionary<string, RoleDefinition>(StringComparer.OrdinalIgnoreCase);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in cells.Value.Rows)
        {
            var id = record["AssignmentId"];
            if (!ids.TryAdd(id, record.Row))
            {
                problems.Add(record.Row, table["AssignmentId"], id, $"AssignmentId {id} is already used at row {ids[id]}");
                continue;
            }

            if (!ArmScope.TryParse(record["Scope"], out var scope))
            {
                problems.Add(record.Row, table["Scope"], record["Scope"], "Scope must be an ARM scope under /subscriptions/{id} (the subscription, a resource group or a resource)");
                continue;
            }

            var start = Instant(record["Start"]);
            var end = record["End"].Length == 0 ? (DateTime?)null : Instant(record["End"]);
            if (end is { } e && e < start)
            {
                problems.Add(record.Row, table["End"], record["End"], "End is before Start");
                continue;
            }

            var period = new AccessPeriod(start, end);
            if (record["Kind"] == "deny")
            {
                denies.Add(new DenyAssignment(id, scope, period));
                continue;
            }

            var name = record["RoleDefinitionName"];
            if (!RoleCatalog.BuiltIn.TryFind(name, out var role) && !custom.TryGetValue(name, out role))
            {
                role = RoleDefinition.Custom(new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(name.ToUpperInvariant())).AsSpan(0, 16)), name);
                custom.Add(name, role);
            }

            var partner = record["PartnerId"].Length == 0 ? null : record["PartnerId"];
            var principalId = record["PrincipalId"];
            var principal = record["PrincipalType"] switch
            {
                "foreignPrincipal" => new Principal(PrincipalKind.AdminAgents, principalId, partner),
                "lighthouse" => new Principal(PrincipalKind.Lighthouse, principalId, partner),
                "servicePrincipal" => Principal.ServicePrincipal(principalId, partner),
                _ => Principal.User(principalId, partner),
            };
            allows.Add(new RoleAssignment(id, principal, role.Id, scope, period));
        }

        if (problems.Count > 0)
        {
            return FileReadResult<AccessHistory>.Failure(problems.ToList(), problems.Count);
        }

        return FileReadResult<AccessHistory>.Success(new AccessHistory(allows, denies, custom.Count == 0 ? RoleCatalog.BuiltIn : RoleCatalog.Create(custom.Values)));
    }

    // The table reader has checked the text is a date in one of the accepted forms.
    private static DateTime Instant(string text) =>
        Pricing.PriceText.TryParseDate(text, out var value)
            ? value
            : DateTime.ParseExact(text, ColumnTable.IsoDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
