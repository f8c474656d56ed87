using Mep.Assets.Data;
using Mep.Assets.Devices;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Mep.Assets.Registration;

/// <summary>
/// Writes newly registered devices and their first history line with binary COPY, inside the caller's transaction.
/// A 5,000-device batch is two COPY streams instead of 10,000 INSERTs through the change tracker; bench/AssetsBench
/// measures what that buys.
/// </summary>
internal static class DeviceCopy
{
    public static async Task InsertAsync(AssetsDbContext db, IReadOnlyList<Device> devices, string actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (devices.Count == 0)
        {
            return;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var writer = await connection.BeginBinaryImportAsync(
                         """
                         COPY devices (id, school_id, serial_number, status, status_changed_at, kind, manufacturer, model, room_id, mdm_state,
                             mdm_enrolled_on, purchase_date, purchase_price, warranty_end, funding_source, useful_life_months, ownership,
                             pupil_reference, subsidy_category, family_reference, sibling_order, contract_monthly_rate, contract_months,
                             contract_provider, board_system_id, component_kind, created_at, updated_at) FROM STDIN (FORMAT BINARY)
                         """, cancellationToken))
        {
            foreach (var d in devices)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(d.Id, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(d.SchoolId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(d.SerialNumber, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(d.Status.ToString(), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(d.StatusChangedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(d.Kind.ToString(), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(d.Manufacturer, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(d.Model, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, d.RoomId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(d.MdmState.ToString(), NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, d.MdmEnrolledOn, NpgsqlDbType.Date, cancellationToken);
                await WriteNullableAsync(writer, d.PurchaseDate, NpgsqlDbType.Date, cancellationToken);
                await WriteNullableAsync(writer, d.PurchasePrice, NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullableAsync(writer, d.WarrantyEnd, NpgsqlDbType.Date, cancellationToken);
                await WriteNullableAsync(writer, d.FundingSource?.ToString(), NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, d.UsefulLifeMonths, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(writer, d.Ownership?.ToString(), NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, d.PupilReference, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, d.SubsidyCategory?.ToString(), NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, d.FamilyReference, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, d.SiblingOrder, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(writer, d.ContractMonthlyRate, NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullableAsync(writer, d.ContractMonths, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(writer, d.ContractProvider, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, d.BoardSystemId, NpgsqlDbType.Uuid, cancellationToken);
                await WriteNullableAsync(writer, d.ComponentKind?.ToString(), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(d.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(d.UpdatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
                         "COPY device_history (device_id, at, actor, change, to_status, to_school_id, to_room_id) FROM STDIN (FORMAT BINARY)",
                         cancellationToken))
        {
            foreach (var d in devices)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(d.Id, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(actor, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(nameof(DeviceChange.Registered), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(d.Status.ToString(), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(d.SchoolId, NpgsqlDbType.Uuid, cancellationToken);
                await WriteNullableAsync(writer, d.RoomId, NpgsqlDbType.Uuid, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? writer.WriteAsync(v, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? writer.WriteAsync(value, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);
}
