// en/plural.js — English plurals for the table's parts: "1 note", "3 notes".
export const pl = (n, one, many) => `${n} ${n === 1 ? one : many}`;
