/* SPDX-License-Identifier: MIT */
/* Reading bolt.cfg and guest images from the boot volume (UEFI Simple File System). */
#include <efi.h>
#include <efilib.h>

#include "boot/boot.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define PATH_MAX16 160

int efi_read_file(void *image_handle, const char *path, void **data, size_t *len)
{
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root, file;
	EFI_FILE_INFO *info;
	CHAR16 wpath[PATH_MAX16];
	size_t n = strlen(path);
	int rc = -XEN_ENOENT;

	if (n + 1 > PATH_MAX16)
		return -XEN_E2BIG;
	/* FAT paths use backslashes; bolt.cfg may use either. */
	for (size_t i = 0; i <= n; i++)
		wpath[i] = path[i] == '/' ? L'\\' : (CHAR16)(unsigned char)path[i];
	if (BS->HandleProtocol(image_handle, &LoadedImageProtocol, (void **)&li) != EFI_SUCCESS)
		return -XEN_EIO;
	root = LibOpenRoot(li->DeviceHandle);
	if (!root)
		return -XEN_EIO;
	if (root->Open(root, &file, wpath, EFI_FILE_MODE_READ, 0) != EFI_SUCCESS)
		goto out_root;
	info = LibFileInfo(file);
	if (!info) {
		rc = -XEN_EIO;
		goto out_file;
	}
	UINTN size = info->FileSize;
	FreePool(info);
	EFI_PHYSICAL_ADDRESS buf = 0;
	/* LoaderData pages stay ours after ExitBootServices (images are reloaded on restart). */
	if (BS->AllocatePages(AllocateAnyPages, EfiLoaderData, EFI_SIZE_TO_PAGES(size + 1), &buf) !=
	    EFI_SUCCESS) {
		rc = -XEN_ENOMEM;
		goto out_file;
	}
	UINTN got = size;
	if (file->Read(file, &got, (void *)(uintptr_t)buf) != EFI_SUCCESS || got != size) {
		BS->FreePages(buf, EFI_SIZE_TO_PAGES(size + 1));
		rc = -XEN_EIO;
		goto out_file;
	}
	((char *)(uintptr_t)buf)[size] = '\0';
	*data = (void *)(uintptr_t)buf;
	*len = size;
	rc = 0;
out_file:
	file->Close(file);
out_root:
	root->Close(root);
	return rc;
}
