using Paygo.Rating.Money;

namespace Paygo.Core.Tests;

/// <summary>
/// The dependency directions of docs/adr/0022, checked on the compiled assemblies: the engine
/// knows no database and no web, Core knows no HTTP and no storage provider, and nothing
/// below the server knows the server.
/// </summary>
public sealed class DependencyDirectionTests
{
    [Fact]
    public void Rating_ReferencesNoDatabaseNoWebAndNoOtherPaygoProject()
    {
        var references = ReferencedAssemblies(typeof(CurrencyCode).Assembly);

        Assert.DoesNotContain(references, name => StartsWithAny(name, "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Microsoft.Data.Sqlite", "Npgsql", "Paygo.", "paygo-server"));
    }

    [Fact]
    public void Core_ReferencesNoHttpNoStorageProviderAndNoHost()
    {
        var references = ReferencedAssemblies(typeof(PaygoDbContext).Assembly);

        // Core uses ASP.NET Core Identity's store types and the Data Protection key ring, both free of HTTP.
        Assert.DoesNotContain(references, name => StartsWithAny(
            name,
            "Microsoft.AspNetCore.Http",
            "Microsoft.AspNetCore.Mvc",
            "Microsoft.AspNetCore.Routing",
            "Microsoft.AspNetCore.Components",
            "Microsoft.AspNetCore.Hosting",
            "Microsoft.AspNetCore.Authentication",
            "Microsoft.AspNetCore.Authorization",
            "OpenIddict.Server",
            "OpenIddict.Validation",
            "Microsoft.EntityFrameworkCore.Sqlite",
            "Npgsql",
            "Microsoft.Data.Sqlite",
            "Paygo.Data.",
            "Paygo.Cli",
            "paygo-server"));
        Assert.Contains("Paygo.Rating", references);
    }

    private static List<string> ReferencedAssemblies(System.Reflection.Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

    private static bool StartsWithAny(string name, params string[] prefixes) =>
        prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
