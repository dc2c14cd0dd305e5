using System.Diagnostics.Metrics;

namespace Paygo.Server.Hosting;

/// <summary>Paygo's own counters, exported with the framework's at /metrics.</summary>
public sealed class PaygoMetrics
{
    public const string MeterName = "Paygo";

    private readonly Counter<long> _partnersCreated;

    public PaygoMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _partnersCreated = meter.CreateCounter<long>("paygo.partners.created", description: "Partners onboarded by the operator.");
    }

    public void PartnerCreated() => _partnersCreated.Add(1);
}
