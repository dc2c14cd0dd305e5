using System.CommandLine;
using Paygo.Cli.Database;
using Paygo.Cli.Hosting;
using Paygo.Core;
using Paygo.Core.Audit;

namespace Paygo.Cli.Audit;

/// <summary>
/// <c>paygo audit verify</c>: walks every audit chain (one per partner, one for the operator) in
/// the database, checks each chain's end against its head signed with the audit key in the data
/// directory, and reports per chain; exits 1 when any chain is broken.
/// </summary>
internal static class AuditCommands
{
    public static Command Create(CliEnvironment environment)
    {
        var audit = new Command("audit", "The tamper-evident audit trail.");
        var local = new LocalDatabase();
        var verify = new Command("verify",
            "Checks every audit chain record by record and against its signed head (the key is read from --data-dir's keys/ folder, also with --database); exits 1 at an edited, inserted or deleted record.");
        local.AddTo(verify);
        verify.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            var storage = local.Resolve(parsed, environment);
            var key = AuditAnchorKey.Load(storage.KeysDirectory)
                ?? throw new CliFailure($"No audit key at {Path.Combine(Path.GetFullPath(storage.KeysDirectory), AuditAnchorKey.FileName)}: pass the server's --data-dir (its keys/ folder signs the chain heads).");
            await using var db = CoreServices.CreateContext(storage);
            AuditVerification verification;
            Dictionary<Guid, string> partnerNames;
            try
            {
                verification = await AuditTrail.VerifyAsync(db, key, cancellationToken);
                partnerNames = db.Partners.Select(p => new { p.Id, p.Name }).ToDictionary(p => p.Id, p => p.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException and not CliFailure)
            {
                throw new CliFailure($"Cannot read the audit trail of the {storage.Engine.Name} database at {storage.Description}: {e.GetBaseException().Message}");
            }

            foreach (var chain in verification.Chains)
            {
                var name = chain.PartnerId is { } id
                    ? $"partner {id}" + (partnerNames.TryGetValue(id, out var partner) ? $" ({partner})" : string.Empty)
                    : "operator";
                if (chain.Break is { } broken)
                {
                    await environment.Error.WriteLineAsync($"The audit trail of {name} is broken at record {broken.Sequence}: {broken.Reason}.");
                }
                else
                {
                    environment.Output.WriteLine($"{name}: intact, {chain.Records} record(s), head {chain.HeadSequence} {chain.HeadHash}");
                }
            }

            if (!verification.IsIntact)
            {
                return CliRun.Failed;
            }

            environment.Output.WriteLine($"The audit trail is intact: {verification.Chains.Sum(c => c.Records)} record(s) in {verification.Chains.Count} chain(s) verified.");
            return 0;
        }));
        audit.Subcommands.Add(verify);
        return audit;
    }
}
