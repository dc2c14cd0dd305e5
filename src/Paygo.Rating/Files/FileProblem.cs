namespace Paygo.Rating.Files;

/// <summary>
/// One problem found in an imported file.
/// </summary>
/// <param name="Row">
/// The row as a spreadsheet shows it: the header is row 1 and the first data row is row 2, so a
/// user can type the number into "Go to" and land on the row. A quoted field that spans lines
/// still counts as one row.
/// </param>
/// <param name="Column">The column's header name, or null when the problem is the whole row (a duplicate, a wrong field count).</param>
/// <param name="Value">The offending text, clipped to <see cref="FileProblems.MaxValueLength"/> characters; null with <paramref name="Column"/>.</param>
/// <param name="Reason">One sentence saying what is wrong and what is expected.</param>
public readonly record struct FileProblem(int Row, string? Column, string? Value, string Reason)
{
    public override string ToString() =>
        Column is null ? $"row {Row}: {Reason}" : $"row {Row}, column {Column} ('{Value}'): {Reason}";
}

/// <summary>
/// The outcome of reading a whole file: either every row (<see cref="Value"/>) or every problem,
/// never both (all or nothing: a file with one bad row imports nothing).
/// </summary>
public sealed class FileReadResult<T>
    where T : class
{
    private FileReadResult(T? value, IReadOnlyList<FileProblem> problems, long problemCount)
    {
        Value = value;
        Problems = problems;
        ProblemCount = problemCount;
    }

    /// <summary>The parsed file; null when any problem was found.</summary>
    public T? Value { get; }

    /// <summary>The first <see cref="FileProblems.MaxReported"/> problems in row order (then column order).</summary>
    public IReadOnlyList<FileProblem> Problems { get; }

    /// <summary>How many problems were found in all; more than <see cref="Problems"/> holds when the list was capped.</summary>
    public long ProblemCount { get; }

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Value is not null;

    public bool ProblemsTruncated => ProblemCount > Problems.Count;

    internal static FileReadResult<T> Success(T value) => new(value, [], 0);

    internal static FileReadResult<T> Failure(IReadOnlyList<FileProblem> problems, long problemCount) => new(null, problems, problemCount);
}

/// <summary>Limits shared by the file readers.</summary>
public static class FileProblems
{
    /// <summary>At most this many problems are kept; counting goes on (a user fixes the first ones first).</summary>
    public const int MaxReported = 1000;

    /// <summary>Offending values are clipped to this many characters so that a huge field cannot flood an error body.</summary>
    public const int MaxValueLength = 100;

    internal static string Clip(ReadOnlySpan<char> value) =>
        value.Length <= MaxValueLength ? value.ToString() : string.Concat(value[..(MaxValueLength - 1)], "…");
}
