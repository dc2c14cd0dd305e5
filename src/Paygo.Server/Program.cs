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
using Paygo.Server.Pricing;
using Paygo.Server.Users;

// Table of contents of the server: each feature registers its own services and endpoints.
var builder = WebApplication.CreateBuilder(args);
builder.AddPaygoLogging();
builder.AddPaygoTelemetry();
builder.AddPaygoStorage();
builder.AddPaygoAuth();
builder.Services.AddPaygoApi(builder.Configuration);
builder.Services.AddPaygoHealth();
builder.Services.AddPartners();
builder.Services.AddUsers();
builder.Services.AddAuditTrail();
builder.Services.AddDashboard();

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
app.MapDashboard();

return await app.RunPaygoAsync();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
