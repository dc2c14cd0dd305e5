namespace Paygo.Rating.Files;

/// <summary>
/// Collects problems, keeping the first <see cref="FileProblems.MaxReported"/> in (row, column)
/// order while counting all of them. Problems arrive out of order (row checks while streaming,
/// tier checks at the end), so the list is trimmed in batches rather than kept sorted.
/// </summary>
public sealed class ProblemCollector
{
    private readonly List<(FileProblem Problem, int ColumnIndex, long Sequence)> _problems = [];
    private readonly int _cap;

    public ProblemCollector(int cap = FileProblems.MaxReported) => _cap = cap;

    public long Count { get; private set; }

    public void Add(int row, int columnIndex, string? column, ReadOnlySpan<char> value, string reason)
    {
        Count++;
        // Once the list is full and sorted, a problem after the last kept one can never make the cut.
        if (_problems.Count >= 2 * _cap)
        {
            Trim();
        }

        _problems.Add((new FileProblem(row, column, column is null ? null : FileProblems.Clip(value), reason), columnIndex, Count));
    }

    /// <summary>A problem in one cell: the column gives both its name and its place in the (row, column) order.</summary>
    public void Add(int row, FileColumn column, ReadOnlySpan<char> value, string reason)
    {
        ArgumentNullException.ThrowIfNull(column);
        Add(row, column.Index, column.Name, value, reason);
    }

    public void AddRow(int row, string reason) => Add(row, -1, null, default, reason);

    /// <summary>
    /// Adds a part of the file's problems, collected on another thread with rows numbered from 1
    /// in that part: <paramref name="rowsBefore"/> rows come before it. The count includes those
    /// the part did not keep.
    /// </summary>
    public void AddFrom(ProblemCollector part, int rowsBefore)
    {
        ArgumentNullException.ThrowIfNull(part);
        part.Trim();
        foreach (var (problem, columnIndex, _) in part._problems)
        {
            Add(problem.Row + rowsBefore, columnIndex, problem.Column, problem.Value, problem.Reason);
        }

        Count += part.Count - part._problems.Count;
    }

    public IReadOnlyList<FileProblem> ToList()
    {
        Trim();
        var list = new FileProblem[_problems.Count];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = _problems[i].Problem;
        }

        return list;
    }

    private void Trim()
    {
        _problems.Sort(static (a, b) =>
        {
            var byRow = a.Problem.Row.CompareTo(b.Problem.Row);
            if (byRow != 0)
            {
                return byRow;
            }

            // Equal places keep the order they were found in, so the list is the same on every run.
            var byColumn = a.ColumnIndex.CompareTo(b.ColumnIndex);
            return byColumn != 0 ? byColumn : a.Sequence.CompareTo(b.Sequence);
        });
        if (_problems.Count > _cap)
        {
            _problems.RemoveRange(_cap, _problems.Count - _cap);
        }
    }
}
