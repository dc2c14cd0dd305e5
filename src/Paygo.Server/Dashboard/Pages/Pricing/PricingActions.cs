using System.Globalization;
using Paygo.Core.Identity;
using Paygo.Core.Pricing;
using Paygo.Core.Users;

namespace Paygo.Server.Dashboard.Pages.Pricing;

/// <summary>
/// Who may import price lists and FX files, and how the pricing pages write tiers and months.
/// Core's stores check roles too, but refuse with an exception; the pages ask
/// <see cref="PermissionMatrix"/> first, before showing an upload form and again before importing a post.
/// </summary>
internal static class PricingActions
{
    /// <summary>Microsoft writes this for "no upper bound" in PricingTierRangeMax.</summary>
    private const decimal Unbounded = 9223372036854780000m;

    /// <summary>How many problems of a refused file the page lists; the count says how many there were in all.</summary>
    public const int ProblemsShown = 50;

    /// <summary>Null when the user may import; otherwise the reason, shown instead of the upload form.</summary>
    public static string? WhyCannotImport(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Allows(ApiOperation.PricesWrite))
        {
            return null;
        }

        return caller.IsOperator
            ? "Importing price lists and FX rates needs the Global admin or Billing admin role."
            : "Microsoft's price lists and FX rates are imported by the operator of this Paygo instance; partners read them here.";
    }

    public static string? ImportedBy(Caller caller) => caller.Email ?? caller.UserId?.ToString();

    /// <summary>yyyyMM as people read it ("2026-11"), keeping the file's form next to it for searching.</summary>
    public static string MonthLabel(string month) =>
        Months.Parse(month, "month", out var parsed) is null
            ? $"{parsed.FirstDay.ToString("MMMM yyyy", CultureInfo.InvariantCulture)} ({month})"
            : month;

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A tier bound of the file; Microsoft's huge sentinel reads as "and up".</summary>
    public static string RangeMax(decimal? max) => max is null || max >= Unbounded ? "and up" : Number(max.Value);

    /// <summary>A row's tier range as the file wrote it (1-based or 0-based), or "flat" when the row has none.</summary>
    public static string TierRange(decimal? min, decimal? max) =>
        min is null && max is null
            ? "flat"
            : max is null || max >= Unbounded ? $"{Number(min ?? 0)} and up" : $"{Number(min ?? 0)} – {Number(max.Value)}";

    /// <summary>Tiers in Azure's TierMinimumUnits form, one line: "0–100 @ 1; 100 and up @ 0.80".</summary>
    public static string Tiers(IReadOnlyList<PriceTierResource>? tiers) =>
        tiers is null || tiers.Count == 0
            ? "—"
            : string.Join("; ", tiers.Select(t => t.TierMaximumUnits is { } max && max < Unbounded
                ? $"{Number(t.TierMinimumUnits)}–{Number(max)} @ {Number(t.UnitPrice)}"
                : $"{Number(t.TierMinimumUnits)} and up @ {Number(t.UnitPrice)}"));
}
