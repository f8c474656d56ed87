using System.Globalization;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;

namespace Mep.Support.Repairs;

/// <summary>What the payer rules need to know of a broken device (Support's replica of Assets' facts).</summary>
public sealed record RepairDeviceFacts(
    DeviceKind Kind, TabletOwnership? Ownership, string? ContractProvider, string? Manufacturer, string? Model, DateOnly? WarrantyEnd,
    DateOnly? PurchaseDate);

/// <summary>Who pays a repair and why: the rule that decided (a stable name), a sentence saying it, and the day the rule turns on.</summary>
/// <param name="Rule">parents-contract, device-warranty, model-warranty, seller-liability, school-budget or city.</param>
/// <param name="RuleDate">The last day of the warranty or liability that covers the repair; null where no date decided.</param>
public sealed record PayerDecision(RepairPayer Payer, string Rule, string Reason, DateOnly? RuleDate);

/// <summary>
/// Who pays a repair (docs/domain.md, "Lending devices and repairs"), first rule that applies wins: a parent-financed pupil tablet is the
/// provider's under the parents' contract; otherwise the device's own manufacturer warranty, or its model's where the device has no
/// warranty end of its own, then the seller's statutory liability from the purchase; otherwise a paid repair, through the contractor
/// against the school's system-support budget of the year while some is left, else by the city.
/// </summary>
public static class RepairPayerRules
{
    /// <param name="on">The day the repair case is opened: what each warranty and the budget's year are judged against.</param>
    /// <param name="schoolBudgetLeft">What is left of the school's system-support budget of <paramref name="on"/>'s year (0: none set or spent).</param>
    public static PayerDecision Decide(RepairDeviceFacts device, int statutoryLiabilityMonths, IEnumerable<ModelWarranty> modelWarranties, DateOnly on,
        decimal schoolBudgetLeft)
    {
        if (device.Ownership == TabletOwnership.ParentFinancedPupil)
        {
            return new(RepairPayer.ParentsProvider, "parents-contract",
                $"A parent-financed pupil tablet: the provider under the parents' contract ({device.ContractProvider ?? "provider not recorded"}) "
                + "repairs it at no cost to the city.", null);
        }

        if (device.WarrantyEnd is { } warrantyEnd && on <= warrantyEnd)
        {
            return new(RepairPayer.ManufacturerWarranty, "device-warranty", $"The device's manufacturer warranty runs until {Day(warrantyEnd)}.",
                warrantyEnd);
        }

        if (device.PurchaseDate is { } purchased)
        {
            // The model's warranty stands in for a device's own only where Assets recorded none: a device's recorded end is the
            // more specific fact, and an ended one is not lengthened by its model's table.
            if (device.WarrantyEnd is null && ModelWarranty.Of(modelWarranties, device.Manufacturer, device.Model) is { } model
                && on <= LastDay(purchased, model.WarrantyMonths))
            {
                var end = LastDay(purchased, model.WarrantyMonths);
                return new(RepairPayer.ManufacturerWarranty, "model-warranty",
                    $"{model.Manufacturer} {model.Model} carries a manufacturer warranty of {model.WarrantyMonths} months from the purchase on "
                    + $"{Day(purchased)}, until {Day(end)}.", end);
            }

            // 0 months: the terms say there is none (not a liability for the purchase's own day).
            if (statutoryLiabilityMonths > 0 && on <= LastDay(purchased, statutoryLiabilityMonths))
            {
                var end = LastDay(purchased, statutoryLiabilityMonths);
                return new(RepairPayer.SellerLiability, "seller-liability",
                    $"The seller's statutory liability for defects ({statutoryLiabilityMonths} months from the purchase on {Day(purchased)}) runs "
                    + $"until {Day(end)}.", end);
            }
        }

        var warranty = device.PurchaseDate is null && device.WarrantyEnd is null
            ? "No purchase date or warranty is recorded for the device"
            : "Out of warranty and the seller's liability";
        // The reason names no amount: vendors (the contractor among them) read the case and its ticket's history, and a school's budget
        // is not theirs to see (the budget's own route hides it from them).
        return schoolBudgetLeft > 0m
            ? new(RepairPayer.SchoolSystemSupportBudget, "school-budget",
                $"{warranty}: a paid repair through the contractor, charged to the school's system-support budget {on.Year}, which had money left on "
                + $"{Day(on)}.", null)
            : new(RepairPayer.City, "city", $"{warranty}, and the school's system-support budget {on.Year} has nothing left: the city pays.", null);
    }

    /// <summary>
    /// A term of months from a purchase covers up to the same day <paramref name="months"/> later, or the month's last day where it has
    /// no such day (§§ 187(1), 188(2) and (3) BGB: the purchase is the event the term runs from, its own day is not counted).
    /// </summary>
    internal static DateOnly LastDay(DateOnly purchased, int months) => purchased.AddMonths(months);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
