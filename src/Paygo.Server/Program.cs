using Paygo.Core.Access;
using Paygo.Core.Agreements;
using Paygo.Core.Catalog;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Orders;
using Paygo.Core.Partners;
using Paygo.Core.Pec;
using Paygo.Core.Pricing;
using Paygo.Core.RatedUsage;
using Paygo.Core.Transitions;
using Paygo.Core.Usage;
using Paygo.Core.Users;
using Paygo.Server.Access;
using Paygo.Server.Api;
using Paygo.Server.Audit;
using Paygo.Server.Catalog;
using Paygo.Server.Customers;
using Paygo.Server.Dashboard;
using Paygo.Server.Health;
using Paygo.Server.Hosting;
using Paygo.Server.Identity;
using Paygo.Server.Orders;
using Paygo.Server.Partners;
using Paygo.Server.Pec;
using Paygo.Server.Pricing;
using Paygo.Server.RatedUsage;
using Paygo.Server.Transitions;
using Paygo.Server.Usage;
using Paygo.Server.Users;

// Table of contents of the server (docs/adr/0021, 0022). Each feature registers its Core services
// with AddX() in src/Paygo.Core/<Feature>/ and maps its routes with MapX() in src/Paygo.Server/<Feature>/.
var builder = WebApplication.CreateBuilder(args);

// The host: logs, telemetry, the database engine with Core's shared services (the audit trail
// among them), sign-in and tokens, API conventions, health.
builder.AddPaygoLogging();
builder.AddPaygoTelemetry();
builder.AddPaygoStorage();
builder.AddPaygoAuth();
builder.Services.AddPaygoApi(builder.Configuration);
builder.Services.AddPaygoHealth();

// The features.
builder.Services.AddSignIn();
builder.Services.AddPartners();
builder.Services.AddUsers();
builder.Services.AddCatalog();
builder.Services.AddCustomers();
builder.Services.AddAgreements();
builder.Services.AddOrders();
builder.Services.AddPricing();
builder.Services.AddPec();
builder.Services.AddTransitions();
builder.Services.AddUsage();
builder.Services.AddAccess();
builder.Services.AddDashboard();
builder.Services.AddRatedUsage();

var app = builder.Build();
app.UsePaygoSecurityHeaders();
app.UsePaygoApi();
app.UsePaygoAuth();
app.MapPaygoHealth();
app.MapPaygoTelemetry();
app.MapPaygoOpenApi();
app.MapPaygoAuth();
app.MapPartners();
app.MapUsers();
app.MapAuditTrail();
app.MapCatalog();
app.MapCustomers();
app.MapOrders();
app.MapPricing();
app.MapPec();
app.MapTransitions();
app.MapUsage();
app.MapAccess();
app.MapDashboard();
app.MapRatedUsage();

return await app.RunPaygoAsync();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
