namespace Paygo.Rating.Files;

/// <summary>
/// What a column's text means, so a reader knows how to check it and a writer how to format it.
/// The type describes the file, not the C# property: a <see cref="Currency"/> column is text in
/// the file and a <c>CurrencyCode</c> in the row.
/// </summary>
public enum ColumnType
{
    /// <summary>Free text; checked for formula-like starts (CSV injection) and NUL characters.</summary>
    Text,

    /// <summary>Digits with an optional sign and '.', kept with the scale written; at most 28 decimals.</summary>
    Number,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>A UTC date or instant (<c>yyyy-MM-dd</c> or <c>M/d/yyyy h:mm:ss tt</c> on input; the table's format on output).</summary>
    Date,

    /// <summary>A billing month, <c>yyyyMM</c>.</summary>
    Month,

    /// <summary>A GUID (tenant, subscription, meter).</summary>
    Uuid,

    /// <summary>An ISO 4217 code such as USD or EUR.</summary>
    Currency,

    /// <summary>A two-letter market or country code such as US.</summary>
    Country,

    /// <summary>A unit of measure in Partner Center's grammar (<c>1 Hour</c>, <c>10K /Month</c>).</summary>
    Unit,

    /// <summary>One of the column's <see cref="FileColumn.Choices"/>, compared exactly.</summary>
    Choice,
}
