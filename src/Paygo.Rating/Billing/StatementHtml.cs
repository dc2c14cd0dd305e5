using System.Net;
using System.Text;

namespace Paygo.Rating.Billing;

/// <summary>
/// The statement as one self-contained, printable HTML page (no script, no external style or
/// font), every text HTML-encoded: what the dashboard shows and a browser prints.
/// </summary>
public static class StatementHtml
{
    private const string Style = """
        body{font-family:"Segoe UI",DejaVu Sans,Arial,sans-serif;font-size:10pt;color:#201f1e;margin:24px}
        h1{font-size:16pt;margin:0 0 12px}h2{font-size:12pt;margin:20px 0 6px}
        table{border-collapse:collapse;width:100%}th,td{padding:3px 6px;border-bottom:1px solid #e1dfdd;text-align:left;vertical-align:top}
        th{background:#f3f2f1}td.n,th.n{text-align:right;white-space:nowrap}
        dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:0}dt{font-weight:600}dd{margin:0}
        .totals{margin-top:20px;width:auto;margin-left:auto}.totals td{border:none}.totals tr:nth-child(3) td{font-weight:700}
        @media print{body{margin:0}section{break-inside:avoid}}
        """;

    // Columns from "Quantity" on are figures, right-aligned.
    private const int FirstNumberColumn = 2;

    public static string Render(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(E(statement.Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<h1>")
            .Append(E(statement.Title)).Append("</h1>\n<dl>\n");
        foreach (var field in statement.Header)
        {
            html.Append("<dt>").Append(E(field.Label)).Append("</dt><dd>").Append(E(field.Value)).Append("</dd>\n");
        }

        html.Append("</dl>\n");
        foreach (var customer in statement.Customers)
        {
            html.Append("<section>\n<h2>").Append(E(customer.Name)).Append("</h2>\n<p>Customer ID ").Append(E(customer.Id));
            if (!string.IsNullOrEmpty(customer.Domain))
            {
                html.Append(" · ").Append(E(customer.Domain));
            }

            html.Append("</p>\n<table>\n<thead><tr>");
            for (var i = 0; i < Statement.LineColumns.Count; i++)
            {
                html.Append(i >= FirstNumberColumn && i != 3 ? "<th class=\"n\">" : "<th>").Append(E(Statement.LineColumns[i])).Append("</th>");
            }

            html.Append("</tr></thead>\n<tbody>\n");
            foreach (var line in customer.Lines)
            {
                html.Append("<tr>");
                for (var i = 0; i < line.Cells.Count; i++)
                {
                    html.Append(i >= FirstNumberColumn && i != 3 ? "<td class=\"n\">" : "<td>").Append(E(line.Cells[i])).Append("</td>");
                }

                html.Append("</tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
            Totals(html, customer.Totals);
            html.Append("</section>\n");
        }

        html.Append("<section>\n<h2>Invoice totals</h2>\n");
        Totals(html, statement.Totals);
        html.Append("</section>\n</body>\n</html>\n");
        return html.ToString();
    }

    public static string Render(InvoiceDocument invoice) => Render(Statement.From(invoice));

    private static void Totals(StringBuilder html, IReadOnlyList<StatementField> totals)
    {
        html.Append("<table class=\"totals\">\n");
        foreach (var field in totals)
        {
            html.Append("<tr><td>").Append(E(field.Label)).Append("</td><td class=\"n\">").Append(E(field.Value)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
