using System.Globalization;
using Paygo.Core.RatedUsage;
using Paygo.Rating.Pricing;

namespace Paygo.Server.RatedUsage;

/// <summary>The dashboard's chart of a month's daily cost (ScottPlot, rendered to SVG on the server, so the page needs no script).</summary>
public static class UsageChart
{
    /// <summary>The month-to-date line's colour.</summary>
    public const string SpendColour = "#8764b8";

    /// <summary>The budget line's colour; the 80 % alert threshold is the same colour, dashed.</summary>
    public const string BudgetColour = "#c50f1f";

    private const string DailyColour = "#0f6cbd";

    /// <summary>
    /// Daily cost as bars. With a customer's monthly budget, the month-to-date spend is drawn
    /// against it on the right-hand axis, with the budget and the 80 % alert threshold of the
    /// budget notifications as horizontal lines: a daily bar cannot be compared with a monthly
    /// budget, but the running total crossing the line is what a billing team watches.
    /// </summary>
    public static string DailyCostSvg(BillingMonth month, IReadOnlyList<RatedUsageLine> lines, string currency, decimal? monthlyBudget = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var days = DateTime.DaysInMonth(month.Year, month.Month);
        var cost = new decimal[days];
        foreach (var line in lines)
        {
            cost[line.UsageDate.Day - 1] += line.BillingPreTaxTotal;
        }

        using var plot = new ScottPlot.Plot();
        // Doubles for drawing only: the amounts shown in figures come from the decimal lines.
        var bars = plot.Add.Bars(cost.Select(c => (double)c).ToArray());
        bars.Color = ScottPlot.Color.FromHex(DailyColour);
        bars.LegendText = "Daily cost";
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
        if (monthlyBudget is { } budget and > 0)
        {
            AddBudget(plot, cost, budget, currency);
        }

        return plot.GetSvgXml(800, 320);
    }

    private static void AddBudget(ScottPlot.Plot plot, decimal[] cost, decimal budget, string currency)
    {
        // The running total up to the last day that has usage, so the line does not run flat
        // into days that have not happened yet.
        var lastDay = Array.FindLastIndex(cost, c => c != 0);
        var xs = new double[lastDay + 1];
        var ys = new double[lastDay + 1];
        var toDate = 0m;
        for (var day = 0; day <= lastDay; day++)
        {
            toDate += cost[day];
            xs[day] = day;
            ys[day] = (double)toDate;
        }

        var right = plot.Axes.Right;
        if (lastDay >= 0)
        {
            var spend = plot.Add.Scatter(xs, ys, ScottPlot.Color.FromHex(SpendColour));
            spend.Axes.YAxis = right;
            spend.LineWidth = 2;
            spend.LegendText = "Month to date";
        }

        var budgetLine = plot.Add.HorizontalLine((double)budget, 2, ScottPlot.Color.FromHex(BudgetColour));
        budgetLine.Axes.YAxis = right;
        budgetLine.LegendText = "Budget";
        var threshold = plot.Add.HorizontalLine((double)(budget * Core.Budgets.BudgetRules.ThresholdShare), 1, ScottPlot.Color.FromHex(BudgetColour), ScottPlot.LinePattern.Dashed);
        threshold.Axes.YAxis = right;
        threshold.LegendText = string.Create(CultureInfo.InvariantCulture, $"{Core.Budgets.BudgetRules.ThresholdShare * 100:0} % alert");

        // Both lines in view whichever is higher, from zero like the bars.
        right.Label.Text = $"Month to date ({currency})";
        var top = Math.Max((double)budget, (double)toDate) * 1.1;
        plot.Axes.SetLimitsY(0, top, right);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
    }
}
