namespace Paygo.Rating.Billing;

/// <summary>The PEC report's chart: earned and lost credit per day as stacked bars, an SVG drawn by ScottPlot on the server.</summary>
public static class PecChart
{
    public static string Svg(IReadOnlyList<PecDay> days, string currency, int width = 800, int height = 300)
    {
        ArgumentNullException.ThrowIfNull(days);
        using var plot = new ScottPlot.Plot();
        var earned = new List<ScottPlot.Bar>();
        var lost = new List<ScottPlot.Bar>();
        foreach (var day in days)
        {
            // ScottPlot draws doubles; the chart only shows the shape, the report's figures stay decimal.
            var x = day.Day.ToDateTime(TimeOnly.MinValue).ToOADate();
            var e = (double)day.Earned;
            earned.Add(new ScottPlot.Bar { Position = x, ValueBase = 0, Value = e, FillColor = ScottPlot.Colors.SeaGreen });
            lost.Add(new ScottPlot.Bar { Position = x, ValueBase = e, Value = e + (double)day.Lost, FillColor = ScottPlot.Colors.IndianRed });
        }

        var earnedBars = plot.Add.Bars(earned);
        earnedBars.LegendText = "PEC earned";
        var lostBars = plot.Add.Bars(lost);
        lostBars.LegendText = "PEC lost";
        plot.Axes.DateTimeTicksBottom();
        plot.YLabel(currency);
        plot.Title("Partner earned credit per day");
        plot.ShowLegend();
        return plot.GetSvgXml(width, height);
    }
}
