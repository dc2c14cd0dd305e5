using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paygo.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class BudgetsNotificationsBilling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CloseRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PartnersTotal = table.Column<int>(type: "integer", nullable: false),
                    PartnersDone = table.Column<int>(type: "integer", nullable: false),
                    InvoiceCount = table.Column<int>(type: "integer", nullable: false),
                    ErrorCode = table.Column<int>(type: "integer", nullable: true),
                    ErrorMessage = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CloseRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CustomerBudgets",
                columns: table => new
                {
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerBudgets", x => x.CustomerId);
                    table.ForeignKey(
                        name: "FK_CustomerBudgets_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Invoices",
                columns: table => new
                {
                    Key = table.Column<Guid>(type: "uuid", nullable: false),
                    CloseId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Number = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    IsClosed = table.Column<bool>(type: "boolean", nullable: false),
                    InvoiceDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Subtotal = table.Column<decimal>(type: "numeric", nullable: false),
                    TaxTotal = table.Column<decimal>(type: "numeric", nullable: false),
                    Total = table.Column<decimal>(type: "numeric", nullable: false),
                    LineCount = table.Column<int>(type: "integer", nullable: false),
                    UsageCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Invoices", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: true),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Recipients = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    SentThrough = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Error = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BilledUsage",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    InvoiceKey = table.Column<Guid>(type: "uuid", nullable: false),
                    RowNumber = table.Column<int>(type: "integer", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    PecPercent = table.Column<int>(type: "integer", nullable: false),
                    Cells = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BilledUsage", x => new { x.PartnerId, x.RecordId });
                    table.ForeignKey(
                        name: "FK_BilledUsage_Invoices_InvoiceKey",
                        column: x => x.InvoiceKey,
                        principalTable: "Invoices",
                        principalColumn: "Key",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InvoiceFiles",
                columns: table => new
                {
                    InvoiceKey = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InvoiceFiles", x => new { x.InvoiceKey, x.Kind });
                    table.ForeignKey(
                        name: "FK_InvoiceFiles_Invoices_InvoiceKey",
                        column: x => x.InvoiceKey,
                        principalTable: "Invoices",
                        principalColumn: "Key",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InvoiceLines",
                columns: table => new
                {
                    InvoiceKey = table.Column<Guid>(type: "uuid", nullable: false),
                    LineNumber = table.Column<int>(type: "integer", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Subtotal = table.Column<decimal>(type: "numeric", nullable: false),
                    TaxTotal = table.Column<decimal>(type: "numeric", nullable: false),
                    Total = table.Column<decimal>(type: "numeric", nullable: false),
                    Cells = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InvoiceLines", x => new { x.InvoiceKey, x.LineNumber });
                    table.ForeignKey(
                        name: "FK_InvoiceLines_Invoices_InvoiceKey",
                        column: x => x.InvoiceKey,
                        principalTable: "Invoices",
                        principalColumn: "Key",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BilledUsage_InvoiceKey_RowNumber",
                table: "BilledUsage",
                columns: new[] { "InvoiceKey", "RowNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CloseRuns_Month",
                table: "CloseRuns",
                column: "Month",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CustomerBudgets_PartnerId",
                table: "CustomerBudgets",
                column: "PartnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_CloseId_PartnerId_Currency",
                table: "Invoices",
                columns: new[] { "CloseId", "PartnerId", "Currency" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_Number",
                table: "Invoices",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_PartnerId_Month",
                table: "Invoices",
                columns: new[] { "PartnerId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_PartnerId_CreatedAt",
                table: "Notifications",
                columns: new[] { "PartnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_PartnerId_CustomerId_Kind_CreatedAt",
                table: "Notifications",
                columns: new[] { "PartnerId", "CustomerId", "Kind", "CreatedAt" });

            // A closed invoice is refused any change by the database itself (docs/adr/0036, PROMISES M6).
            migrationBuilder.Sql(Paygo.Core.Billing.InvoiceTriggers.Postgres);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Paygo.Core.Billing.InvoiceTriggers.DropPostgres);

            migrationBuilder.DropTable(
                name: "BilledUsage");

            migrationBuilder.DropTable(
                name: "CloseRuns");

            migrationBuilder.DropTable(
                name: "CustomerBudgets");

            migrationBuilder.DropTable(
                name: "InvoiceFiles");

            migrationBuilder.DropTable(
                name: "InvoiceLines");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "Invoices");
        }
    }
}
