namespace Paygo.Rating.Access;

/// <summary>
/// A UTC interval <c>[Start, End)</c>: the start instant is inside, the end instant is not, so an
/// assignment ending at midnight covers the whole day before it and none of the next.
/// A null end is open (a permanent assignment).
/// </summary>
public readonly record struct AccessPeriod
{
    public AccessPeriod(DateTime start, DateTime? end = null)
    {
        if (start.Kind != DateTimeKind.Utc || end is { Kind: not DateTimeKind.Utc })
        {
            throw new ArgumentException("Access periods are UTC instants (DateTimeKind.Utc).");
        }

        if (end is { } e && e < start)
        {
            throw new ArgumentException($"The end {e:O} is before the start {start:O}.", nameof(end));
        }

        Start = start;
        End = end;
    }

    public DateTime Start { get; }

    public DateTime? End { get; }

    internal long StartTicks => Start.Ticks;

    internal long EndTicks => End?.Ticks ?? long.MaxValue;
}

/// <summary>
/// An allow assignment: <paramref name="Principal"/> holds role <paramref name="RoleDefinitionId"/>
/// on <paramref name="Scope"/> during <paramref name="Period"/>. A PIM activation is one with both ends.
/// </summary>
/// <param name="Id">The assignment id; unique in a history, and what PEC evidence names.</param>
/// <param name="Principal">Who holds it, and for which partner.</param>
/// <param name="RoleDefinitionId">The Azure role definition id (see <see cref="RoleCatalog"/>).</param>
/// <param name="Scope">Where: the subscription, a resource group or a resource.</param>
/// <param name="Period">When, as UTC instants, end exclusive or open.</param>
public sealed record RoleAssignment(string Id, Principal Principal, Guid RoleDefinitionId, ArmScope Scope, AccessPeriod Period);

/// <summary>
/// A deny assignment on <paramref name="Scope"/> during <paramref name="Period"/>. Reference §3.2
/// says deny assignments block eligibility; any one covering the resource and overlapping the day
/// costs the day its PEC, whoever it names.
/// </summary>
public sealed record DenyAssignment(string Id, ArmScope Scope, AccessPeriod Period);
