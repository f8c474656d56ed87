using Mep.Assets.Devices;
using Mep.SchoolDirectory;

namespace Mep.Assets.Registration;

/// <summary>A row of a school's inventory export: the device, and its school as the directory knows it.</summary>
public sealed record InventoryRow(Device Device, KnownSchool School);
