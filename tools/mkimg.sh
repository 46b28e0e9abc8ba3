#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a bootable disk image from an ESP tree: an MBR with one EFI System
# Partition (type 0xEF) formatted FAT (FAT16 at the default size; UEFI reads FAT12/16/32 on removable media) by mtools. The same image boots in
# Bochs and QEMU and can be written to a USB stick with dd.
# Usage: tools/mkimg.sh ESP_DIR IMAGE [SIZE_MIB]
set -eu
esp=$1 img=$2 size_mib=${3:-64}

# Bochs wants flat disk images whose size is a whole number of cylinders
# (16 heads x 63 sectors x 512 bytes); round the size up to that.
cyl_bytes=$((16 * 63 * 512))
bytes=$(( (size_mib * 1024 * 1024 + cyl_bytes - 1) / cyl_bytes * cyl_bytes ))
part_start=2048                                  # sectors: 1 MiB alignment
part_sectors=$(( bytes / 512 - part_start ))

tmp=$img.tmp
rm -f "$tmp"
truncate -s "$bytes" "$tmp"
echo "start=$part_start, size=$part_sectors, type=ef, bootable" | sfdisk -q -X dos "$tmp"
mformat -i "$tmp@@$((part_start * 512))" -v BOLT -T "$part_sectors" -h 16 -s 63 ::
mcopy -s -Q -i "$tmp@@$((part_start * 512))" "$esp"/* ::
mv "$tmp" "$img"
