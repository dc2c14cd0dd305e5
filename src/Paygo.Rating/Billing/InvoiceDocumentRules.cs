using System.Globalization;

namespace Paygo.Rating.Billing;

/// <summary>
/// What every document written from an <see cref="InvoiceDocument"/> relies on (M4): amounts are
/// rounded to the billing currency's minor unit, each line's total is its subtotal plus tax, and
/// the header is the sum of its lines. The writers check this before writing a byte, so a close
/// with a rounding bug fails loudly instead of printing a statement that disagrees with its files.
/// </summary>
public static class InvoiceDocumentRules
{
    /// <summary>Every broken rule, named with the line and field; empty when the document is sound.</summary>
    public static IReadOnlyList<string> Problems(InvoiceDocument invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var problems = new List<string>();
        var minor = invoice.BillingCurrency.MinorUnit;
        Rounded(problems, "the invoice", invoice.Subtotal, nameof(invoice.Subtotal), minor);
        Rounded(problems, "the invoice", invoice.TaxTotal, nameof(invoice.TaxTotal), minor);
        Rounded(problems, "the invoice", invoice.Total, nameof(invoice.Total), minor);
        Rounded(problems, "the invoice", invoice.PecEarned, nameof(invoice.PecEarned), minor);
        if (invoice.Total != invoice.Subtotal + invoice.TaxTotal)
        {
            problems.Add(Text($"the invoice's Total {invoice.Total} is not Subtotal {invoice.Subtotal} + TaxTotal {invoice.TaxTotal}"));
        }

        if (invoice.PeriodEnd < invoice.PeriodStart)
        {
            problems.Add(Text($"the invoice's period ends ({invoice.PeriodEnd:yyyy-MM-dd}) before it starts ({invoice.PeriodStart:yyyy-MM-dd})"));
        }

        decimal subtotal = 0, tax = 0, total = 0, pec = 0;
        for (var i = 0; i < invoice.Lines.Count; i++)
        {
            var line = invoice.Lines[i];
            problems.AddRange(LineProblems(invoice, line, i + 1));
            subtotal += line.Subtotal;
            tax += line.TaxTotal;
            total += line.Total;
            pec += line.PecEarned;
        }

        Sum(problems, nameof(invoice.Subtotal), invoice.Subtotal, subtotal);
        Sum(problems, nameof(invoice.TaxTotal), invoice.TaxTotal, tax);
        Sum(problems, nameof(invoice.Total), invoice.Total, total);
        Sum(problems, nameof(invoice.PecEarned), invoice.PecEarned, pec);
        return problems;
    }

    /// <summary>The rules one line must keep on its own (what a streaming writer can check line by line).</summary>
    public static IReadOnlyList<string> LineProblems(InvoiceDocument invoice, InvoiceDocumentLine line, int number)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(line);
        var problems = new List<string>();
        var minor = invoice.BillingCurrency.MinorUnit;
        var where = Text($"line {number}");
        Rounded(problems, where, line.Subtotal, nameof(line.Subtotal), minor);
        Rounded(problems, where, line.TaxTotal, nameof(line.TaxTotal), minor);
        Rounded(problems, where, line.Total, nameof(line.Total), minor);
        Rounded(problems, where, line.PecEarned, nameof(line.PecEarned), minor);
        if (line.Total != line.Subtotal + line.TaxTotal)
        {
            problems.Add(Text($"{where}: Total {line.Total} is not Subtotal {line.Subtotal} + TaxTotal {line.TaxTotal}"));
        }

        if (line.ChargeEndDate < line.ChargeStartDate)
        {
            problems.Add(Text($"{where}: ChargeEndDate {line.ChargeEndDate:yyyy-MM-dd} is before ChargeStartDate {line.ChargeStartDate:yyyy-MM-dd}"));
        }

        if (line.PecPercent is < 0 or > 100)
        {
            problems.Add(Text($"{where}: PecPercent {line.PecPercent} is not a percentage between 0 and 100"));
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing the problems (the first 20) when there are any.</summary>
    public static void EnsureSound(InvoiceDocument invoice)
    {
        var problems = Problems(invoice);
        if (problems.Count > 0)
        {
            throw new ArgumentException(Message(invoice.InvoiceNumber, problems), nameof(invoice));
        }
    }

    internal static void EnsureSound(InvoiceDocument invoice, InvoiceDocumentLine line, int number)
    {
        var problems = LineProblems(invoice, line, number);
        if (problems.Count > 0)
        {
            throw new ArgumentException(Message(invoice.InvoiceNumber, problems), nameof(line));
        }
    }

    private static string Message(string invoiceNumber, IReadOnlyList<string> problems) =>
        $"invoice {invoiceNumber} cannot be written: {string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? Text($"; and {problems.Count - 20} more") : string.Empty)}";

    private static void Rounded(List<string> problems, string where, decimal amount, string field, int minor)
    {
        if (decimal.Round(amount, minor) != amount)
        {
            problems.Add(Text($"{where}: {field} {amount} has more decimals than the currency's {minor}"));
        }
    }

    private static void Sum(List<string> problems, string field, decimal header, decimal lines)
    {
        if (header != lines)
        {
            problems.Add(Text($"the invoice's {field} {header} is not the sum of its lines, {lines}"));
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
