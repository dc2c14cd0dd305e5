using static Paygo.Rating.Files.ColumnType;

namespace Paygo.Rating.Files;

/// <summary>
/// Usage records in CSV form for <c>POST /v1/usage</c> (DOMAIN.md §10): six required columns,
/// then <c>Location</c>, <c>Tags</c> and <c>AdditionalInfo</c>, which a file may leave out of its
/// header. The reader comes with usage ingestion; the table is ready to drive it.
/// </summary>
public static class UsageFile
{
    public static ColumnTable Table { get; } = new(
        "usage",
        [
            new("Id", Text, required: true),
            new("EntitlementId", Uuid, required: true),
            new("ResourceUri", Text, required: true),
            new("MeterId", Uuid, required: true),
            new("UsageDate", Date, required: true),
            new("Quantity", Number, required: true),
            new("Location", Text, mayBeAbsent: true),
            new("Tags", Text, mayBeAbsent: true),
            new("AdditionalInfo", Text, mayBeAbsent: true),
        ]);
}
