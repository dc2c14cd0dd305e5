using BenchmarkDotNet.Attributes;
using Paygo.Core.Common;
using Paygo.Core.Markets;
using Paygo.Core.Partners;

namespace Paygo.Benchmarks;

/// <summary>Per-request costs of the API conventions: validation, country lookup, continuation tokens.</summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    private readonly PartnerCreateRequest _request = new("Tailspin Toys SAS", "direct-bill", "5123456", "FR");
    private readonly string _token = SeekPaging.Encode("Tailspin Toys SAS", "4f1b2a10-8c3d-4e5f-9a01-000000000101");

    [Benchmark]
    public object? ValidatePartner() => PartnerRules.Validate(_request, Now).Partner;

    [Benchmark]
    public bool CountryLookup() => Countries.TryGetBillingCurrency("fr", out _, out _);

    [Benchmark]
    public bool DecodeContinuationToken() => SeekPaging.TryDecode(_token, 2, out _);
}
