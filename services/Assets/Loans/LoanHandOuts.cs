using System.Security.Claims;
using Mep.Assets.Data;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Loans;

/// <summary>A row of a hand-out or a return that was refused, with the rule that refused it; rows count from 1, as in every batch.</summary>
public sealed record LoanRowError(int Row, string? SerialNumber, Guid? DeviceId, Guid? LoanId, string Field, string Rule, string Reason);

/// <summary>A loan of a batch and its device's serial number, for the answer.</summary>
public sealed record BatchLoan(Loan Loan, string SerialNumber);

/// <summary>A batch checked row by row: its loans when every row passed, else every refused row.</summary>
public sealed record LoanBatch(IReadOnlyList<BatchLoan> Loans, IReadOnlyList<LoanRowError> Errors);

/// <summary>
/// Hand-outs and returns of up to 5,000 rows: each side read with one query per kind of fact (devices, loans out, loans ended, rules), each row judged
/// by <see cref="Loan"/>, and every refusal collected so that the caller hears all of them at once and nothing is written.
/// </summary>
public static class LoanHandOuts
{
    public static async Task<LoanBatch> PrepareAsync(AssetsDbContext db, Guid schoolId, LoanBatchRequest request, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var rows = request.Loans!;
        var serials = rows.Where(r => r.SerialNumber is not null).Select(r => SerialNumber.Normalise(r.SerialNumber!)).Distinct().ToList();
        var ids = rows.Where(r => r.DeviceId is not null).Select(r => r.DeviceId!.Value).Distinct().ToList();

        // Another school's device is "unknown" here, as it is everywhere for a school key: a hand-out learns nothing of other schools.
        var devices = await db.Devices.AsNoTracking()
            .Where(d => d.SchoolId == schoolId && (serials.Contains(d.SerialNumber) || ids.Contains(d.Id))).ToListAsync(cancellationToken);
        var bySerial = devices.ToDictionary(d => d.SerialNumber, StringComparer.Ordinal);
        var byId = devices.ToDictionary(d => d.Id);
        var found = devices.Select(d => d.Id).ToList();
        var alreadyOut = await db.Set<Loan>().Where(l => l.State == LoanState.Out && found.Contains(l.DeviceId)).Select(l => l.DeviceId)
            .ToHashSetAsync(cancellationToken);
        var lastEnded = await db.Set<Loan>().Where(l => l.State != LoanState.Out && found.Contains(l.DeviceId)).GroupBy(l => l.DeviceId)
            .Select(g => new { DeviceId = g.Key, EndedOn = g.Max(l => l.ReturnedOn ?? l.LossReportedOn ?? l.TransferredOn) })
            .ToDictionaryAsync(l => l.DeviceId, l => l.EndedOn, cancellationToken);
        var rules = await db.Set<LoanProgrammeRule>().AsNoTracking().ToDictionaryAsync(r => r.Programme, cancellationToken);

        var loans = new List<BatchLoan>(rows.Count);
        var errors = new List<LoanRowError>();
        var listed = new HashSet<Guid>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var serial = row.SerialNumber is null ? null : SerialNumber.Normalise(row.SerialNumber);
            var device = serial is not null ? bySerial.GetValueOrDefault(serial) : byId.GetValueOrDefault(row.DeviceId!.Value);
            LoanRowError Refused(string field, string rule, string reason) => new(i + 1, serial ?? device?.SerialNumber, row.DeviceId ?? device?.Id, null, field, rule, reason);

            if (device is null)
            {
                errors.Add(Refused(serial is null ? "deviceId" : "serialNumber", "device-unknown", "No device of this school has this " + (serial is null ? "id." : "serial number.")));
                continue;
            }

            if (!listed.Add(device.Id))
            {
                errors.Add(Refused(serial is null ? "deviceId" : "serialNumber", "device-listed-twice", "The device is in this hand-out twice."));
                continue;
            }

            var agreement = row.Agreement ?? request.Agreement!;
            var handOut = new LoanHandOut(request.LentOn!.Value, row.DueBack ?? request.DueBack!.Value, request.ClassName,
                row.Accessories ?? request.Accessories ?? [],
                EnumText.ParseOptionalName<DeviceCondition>(row.Condition) ?? EnumText.ParseName<DeviceCondition>(request.Condition!),
                new LoanAgreement(agreement.Template!, agreement.Version!, agreement.SignedOn!.Value, row.GuardianReference,
                    EnumText.ParseOptionalName<DamagePayer>(agreement.DamagePayer)));
            try
            {
                var loan = Loan.Lend(Guid.CreateVersion7(now), device, device.FundingSource is { } programme ? rules.GetValueOrDefault(programme) : null,
                    alreadyOut.Contains(device.Id), new Borrower(EnumText.ParseName<BorrowerKind>(row.BorrowerKind!), row.BorrowerReference!), handOut, now,
                    lastLoanEndedOn: lastEnded.GetValueOrDefault(device.Id));
                loans.Add(new BatchLoan(loan, device.SerialNumber));
            }
            catch (DomainRuleException refused)
            {
                errors.Add(Refused(refused.Field ?? "serialNumber", refused.Rule, refused.Message));
            }
        }

        return new LoanBatch(errors.Count > 0 ? [] : loans, errors);
    }

    public static async Task<LoanBatch> ReturnAsync(AssetsDbContext db, ClaimsPrincipal user, LoanReturnsRequest request, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var rows = request.Returns!;
        var ids = rows.Where(r => r.LoanId is not null).Select(r => r.LoanId!.Value).Distinct().ToList();
        var serials = rows.Where(r => r.SerialNumber is not null).Select(r => SerialNumber.Normalise(r.SerialNumber!)).Distinct().ToList();

        // A school key finds its own school's loans only; another school's loan is "unknown", as it is on every read.
        // Untracked: the ended loans are stored set-based (LoanCopy.UpdateReturnedAsync), not by the change tracker.
        var visible = db.Set<Loan>().AsNoTracking().VisibleTo(user, l => l.SchoolId);
        var byId = await visible.Where(l => ids.Contains(l.Id))
            .Join(db.Devices, l => l.DeviceId, d => d.Id, (l, d) => new BatchLoan(l, d.SerialNumber))
            .ToDictionaryAsync(l => l.Loan.Id, cancellationToken);
        var bySerial = await visible.Where(l => l.State == LoanState.Out)
            .Join(db.Devices.Where(d => serials.Contains(d.SerialNumber)), l => l.DeviceId, d => d.Id, (l, d) => new BatchLoan(l, d.SerialNumber))
            .ToDictionaryAsync(l => l.SerialNumber, StringComparer.Ordinal, cancellationToken);

        var returned = new List<BatchLoan>(rows.Count);
        var errors = new List<LoanRowError>();
        var listed = new HashSet<Guid>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var serial = row.SerialNumber is null ? null : SerialNumber.Normalise(row.SerialNumber);
            var found = serial is not null ? bySerial.GetValueOrDefault(serial) : byId.GetValueOrDefault(row.LoanId!.Value);
            var field = serial is null ? "loanId" : "serialNumber";
            LoanRowError Refused(string at, string rule, string reason) => new(i + 1, serial, found?.Loan.DeviceId, row.LoanId ?? found?.Loan.Id, at, rule, reason);

            if (found is null)
            {
                errors.Add(Refused(field, "loan-unknown", serial is null ? "No loan with this id." : "No device with this serial number is out on loan."));
                continue;
            }

            if (!listed.Add(found.Loan.Id))
            {
                errors.Add(Refused(field, "loan-listed-twice", "The loan is in this return twice."));
                continue;
            }

            try
            {
                found.Loan.Return(new LoanReturn(request.ReturnedOn!.Value,
                    EnumText.ParseOptionalName<DeviceCondition>(row.Condition), row.Damaged ?? false, row.DamageNote,
                    row.MissingAccessories ?? []), now);
                returned.Add(found);
            }
            catch (DomainRuleException refused)
            {
                errors.Add(Refused(refused.Field ?? field, refused.Rule, refused.Message));
            }
        }

        return new LoanBatch(errors.Count > 0 ? [] : returned, errors);
    }
}
