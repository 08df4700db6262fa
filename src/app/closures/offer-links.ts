/** Links of a replacement offer. They lead to pages only; every change is a POST from there. */
export function offerLinks(publicUrl: string, token: string) {
  return {
    offer: `${publicUrl}/angebot/${token}`,
    choose: `${publicUrl}/angebot/${token}/andere`,
    decline: `${publicUrl}/angebot/${token}/absagen`,
  };
}
