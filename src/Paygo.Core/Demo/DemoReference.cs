using nietras.SeparatedValues;

namespace Paygo.Core.Demo;

/// <summary>An Azure service as Microsoft's reference list names it (Reference/Services.csv).</summary>
public sealed record ReferenceService(string ConsumedService, string ResourceType, string Name, string Category, string Subcategory, string Publisher, string PublisherType);

/// <summary>An Azure region: its ARM id and display name (Reference/Regions.csv).</summary>
public sealed record ReferenceRegion(string Id, string Name);

/// <summary>A unit of measure Microsoft's price lists use, with its block size and normalised unit (Reference/PricingUnits.csv).</summary>
public sealed record ReferenceUnit(string UnitOfMeasure, string AccountTypes, decimal BlockSize, string DistinctUnits);

/// <summary>
/// Microsoft's published reference lists the demo month is generated from, embedded in this
/// assembly (Demo/Reference/README.md). Read once; the files are small (a few hundred rows each).
/// </summary>
public static class DemoReference
{
    private static readonly Lazy<IReadOnlyList<ReferenceService>> LoadedServices = new(() => Read("Services.csv", row => new ReferenceService(
        row["ConsumedService"].ToString(), row["ResourceType"].ToString(), row["ServiceName"].ToString(), row["ServiceCategory"].ToString(),
        row["ServiceSubcategory"].ToString(), row["PublisherName"].ToString(), row["PublisherType"].ToString())));

    private static readonly Lazy<IReadOnlyList<ReferenceRegion>> LoadedRegions = new(() =>
        [.. Read("Regions.csv", row => new ReferenceRegion(row["RegionId"].ToString(), row["RegionName"].ToString())).DistinctBy(r => r.Id)]);

    private static readonly Lazy<IReadOnlyList<ReferenceUnit>> LoadedUnits = new(() => Read("PricingUnits.csv", row => new ReferenceUnit(
        row["UnitOfMeasure"].ToString(), row["AccountTypes"].ToString(),
        decimal.Parse(row["PricingBlockSize"].Span, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
        row["DistinctUnits"].ToString())));

    public static IReadOnlyList<ReferenceService> Services => LoadedServices.Value;

    /// <summary>One row per region id (the file lists many spellings of each).</summary>
    public static IReadOnlyList<ReferenceRegion> Regions => LoadedRegions.Value;

    public static IReadOnlyList<ReferenceUnit> Units => LoadedUnits.Value;

    /// <summary>The region with that ARM id; the demo names only regions the list has, so a miss is a bug.</summary>
    public static ReferenceRegion Region(string id) =>
        Regions.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"Region {id} is not in Microsoft's region list (Demo/Reference/Regions.csv).");

    /// <summary>The unit spelled exactly so and used under MCA (the Azure plan's agreement); a miss is a bug.</summary>
    public static ReferenceUnit McaUnit(string unitOfMeasure) =>
        Units.FirstOrDefault(u => string.Equals(u.UnitOfMeasure, unitOfMeasure, StringComparison.Ordinal) && u.AccountTypes.Contains("MCA", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"Unit '{unitOfMeasure}' is not an MCA unit of Microsoft's list (Demo/Reference/PricingUnits.csv).");

    private static List<T> Read<T>(string file, Func<SepReader.Row, T> map)
    {
        using var stream = typeof(DemoReference).Assembly.GetManifestResourceStream("Paygo.Core.Demo.Reference." + file)
            ?? throw new InvalidOperationException($"Demo/Reference/{file} is not embedded in Paygo.Core.");
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).From(stream);
        var rows = new List<T>();
        foreach (var row in reader)
        {
            rows.Add(map(row));
        }

        return rows;
    }
}
