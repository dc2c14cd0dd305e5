using System.Globalization;
using Paygo.Core.RatedUsage;
using Paygo.Rating.Pricing;

namespace Paygo.Server.RatedUsage;

/// <summary>The dashboard's chart of a month's daily cost (ScottPlot, rendered to SVG on the server, so the page needs no script).</summary>
public static class UsageChart
{
    public static string DailyCostSvg(BillingMonth month, IReadOnlyList<RatedUsageLine> lines, string currency)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var days = DateTime.DaysInMonth(month.Year, month.Month);
        var cost = new decimal[days];
        foreach (var line in lines)
        {
            cost[line.UsageDate.Day - 1] += line.BillingPreTaxTotal;
        }

        var plot = new ScottPlot.Plot();
        // Doubles for drawing only: the amounts shown in figures come from the decimal lines.
        var bars = plot.Add.Bars(cost.Select(c => (double)c).ToArray());
        bars.Color = ScottPlot.Color.FromHex("#0f6cbd");
        var positions = new List<double>();
        var labels = new List<string>();
        for (var day = 1; day <= days; day += 5)
        {
            positions.Add(day - 1);
            labels.Add(month.FirstDay.AddDays(day - 1).ToString("d MMM", CultureInfo.InvariantCulture));
        }

        plot.Axes.Bottom.SetTicks([.. positions], [.. labels]);
        plot.Axes.Margins(bottom: 0);
        plot.YLabel($"Cost ({currency})");
        plot.Title($"Daily cost, {month.FirstDay.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}");
        return plot.GetSvgXml(800, 320);
    }
}
