using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paygo.Data.Sqlite.Migrations
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PartnersTotal = table.Column<int>(type: "INTEGER", nullable: false),
                    PartnersDone = table.Column<int>(type: "INTEGER", nullable: false),
                    InvoiceCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ErrorCode = table.Column<int>(type: "INTEGER", nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CloseRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CustomerBudgets",
                columns: table => new
                {
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
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
                    Key = table.Column<Guid>(type: "TEXT", nullable: false),
                    CloseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    IsClosed = table.Column<bool>(type: "INTEGER", nullable: false),
                    InvoiceDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Subtotal = table.Column<decimal>(type: "TEXT", nullable: false),
                    TaxTotal = table.Column<decimal>(type: "TEXT", nullable: false),
                    Total = table.Column<decimal>(type: "TEXT", nullable: false),
                    LineCount = table.Column<int>(type: "INTEGER", nullable: false),
                    UsageCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Invoices", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Recipients = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    SentThrough = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BilledUsage",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    InvoiceKey = table.Column<Guid>(type: "TEXT", nullable: false),
                    RowNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PecPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    Cells = table.Column<string>(type: "TEXT", nullable: false)
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
                    InvoiceKey = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
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
                    InvoiceKey = table.Column<Guid>(type: "TEXT", nullable: false),
                    LineNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Subtotal = table.Column<decimal>(type: "TEXT", nullable: false),
                    TaxTotal = table.Column<decimal>(type: "TEXT", nullable: false),
                    Total = table.Column<decimal>(type: "TEXT", nullable: false),
                    Cells = table.Column<string>(type: "TEXT", nullable: false)
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
            migrationBuilder.Sql(Paygo.Core.Billing.InvoiceTriggers.Sqlite);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
